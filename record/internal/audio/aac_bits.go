package audio

// bitWriter appends big-endian bit fields to a byte slice, as the AAC
// bitstream is written (ISO/IEC 14496-3 1.5: most significant bit first).
type bitWriter struct {
	buf   []byte
	acc   uint64 // pending bits, right-aligned
	nacc  uint   // how many
	total int    // bits written since reset
}

func (w *bitWriter) reset(dst []byte) {
	w.buf, w.acc, w.nacc, w.total = dst, 0, 0, 0
}

// put writes the low n bits of v (n ≤ 32).
func (w *bitWriter) put(v uint32, n uint) {
	w.acc = w.acc<<n | uint64(v)&(1<<n-1)
	w.nacc += n
	w.total += int(n)
	for w.nacc >= 8 {
		w.nacc -= 8
		w.buf = append(w.buf, byte(w.acc>>w.nacc))
	}
}

// align pads with zero bits to the next byte and returns the buffer.
func (w *bitWriter) align() []byte {
	if w.nacc > 0 {
		w.put(0, 8-w.nacc)
	}
	return w.buf
}
