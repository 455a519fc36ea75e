package audio

// G.711 decoding by lookup: 256 entries per law are cheaper than the
// segment/shift arithmetic per sample, and the recorder runs this for every
// camera all day. Values are pre-scaled to float32 in [-1, 1), the form the
// AAC encoder takes, so no second conversion pass is needed.

var alawTable, mulawTable = buildG711Tables()

func buildG711Tables() (alaw, mulaw *[256]float32) {
	alaw, mulaw = new([256]float32), new([256]float32)
	for i := range 256 {
		alaw[i] = float32(alawToLinear(byte(i))) / 32768
		mulaw[i] = float32(mulawToLinear(byte(i))) / 32768
	}
	return alaw, mulaw
}

// alawToLinear is ITU-T G.711 A-law expansion (the classic Sun reference).
func alawToLinear(a byte) int16 {
	a ^= 0x55
	t := int(a&0x0f) << 4
	switch seg := int(a&0x70) >> 4; seg {
	case 0:
		t += 8
	case 1:
		t += 0x108
	default:
		t += 0x108
		t <<= seg - 1
	}
	if a&0x80 != 0 {
		return int16(t)
	}
	return int16(-t)
}

// mulawToLinear is ITU-T G.711 µ-law expansion (the classic Sun reference).
func mulawToLinear(u byte) int16 {
	u = ^u
	t := ((int(u&0x0f) << 3) + 0x84) << ((u & 0x70) >> 4)
	if u&0x80 != 0 {
		return int16(0x84 - t)
	}
	return int16(t - 0x84)
}
