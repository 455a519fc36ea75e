package timelapse

import (
	"bytes"
	"encoding/binary"
)

// camshare records the parameter sets in front of every key frame; other
// recorders (ffmpeg, the hand-made set-ups camshare replaces) keep them
// only in the track's avcC/hvcC box. A frame without its own gets the
// track's in front, so every kept frame decodes alone, as recorded ones do.

// nalUnits splits a sample of 4-byte length-prefixed NAL units.
func nalUnits(payload []byte) [][]byte {
	var out [][]byte
	for p := payload; len(p) >= 4; {
		n := int(binary.BigEndian.Uint32(p))
		if n <= 0 || 4+n > len(p) {
			break
		}
		out = append(out, p[4:4+n])
		p = p[4+n:]
	}
	return out
}

// nalType is a NAL unit's type (H.264: 7 SPS, 8 PPS; H.265: 32 VPS, 33 SPS, 34 PPS).
func nalType(nal []byte, h265 bool) byte {
	if h265 {
		return (nal[0] >> 1) & 0x3f
	}
	return nal[0] & 0x1f
}

// isSPS says whether nal is a sequence parameter set.
func isSPS(nal []byte, h265 bool) bool {
	if h265 {
		return nalType(nal, true) == 33
	}
	return nalType(nal, false) == 7
}

// withParams is payload with params in front unless it carries its own.
func withParams(payload []byte, params [][]byte, h265 bool) []byte {
	if len(params) == 0 {
		return payload
	}
	for _, nal := range nalUnits(payload) {
		if isSPS(nal, h265) {
			return payload
		}
	}
	var b []byte
	for _, p := range params {
		b = binary.BigEndian.AppendUint32(b, uint32(len(p)))
		b = append(b, p...)
	}
	return append(b, payload...)
}

// trackParams reads the parameter sets out of a trak's avcC (ISO/IEC
// 14496-15 5.3.3) or hvcC (8.3.3) box; none when the box is missing, or its
// NAL lengths are not 4 bytes (the frames could not be joined to them).
func trackParams(trak []byte, h265 bool) [][]byte {
	name := []byte("avcC")
	if h265 {
		name = []byte("hvcC")
	}
	i := bytes.Index(trak, name)
	if i < 4 {
		return nil
	}
	size := int(binary.BigEndian.Uint32(trak[i-4:]))
	if size < 8 || i-4+size > len(trak) {
		return nil
	}
	rec := trak[i+4 : i-4+size]
	if h265 {
		return hvcParams(rec)
	}
	return avcParams(rec)
}

func avcParams(rec []byte) [][]byte {
	if len(rec) < 6 || rec[4]&3 != 3 {
		return nil
	}
	sps, p, ok := units(rec[6:], int(rec[5]&0x1f))
	if !ok || len(p) < 1 {
		return nil
	}
	pps, _, ok := units(p[1:], int(p[0]))
	if !ok {
		return nil
	}
	return append(sps, pps...)
}

func hvcParams(rec []byte) [][]byte {
	if len(rec) < 23 || rec[21]&3 != 3 {
		return nil
	}
	var out [][]byte
	arrays, p := int(rec[22]), rec[23:]
	for range arrays {
		if len(p) < 3 {
			return nil
		}
		var got [][]byte
		var ok bool
		if got, p, ok = units(p[3:], int(binary.BigEndian.Uint16(p[1:]))); !ok {
			return nil
		}
		out = append(out, got...)
	}
	return out
}

// units reads n units with 2-byte lengths; false when cut short.
func units(p []byte, n int) (out [][]byte, rest []byte, ok bool) {
	for range n {
		if len(p) < 2 {
			return nil, p, false
		}
		size := int(binary.BigEndian.Uint16(p))
		if size == 0 || 2+size > len(p) {
			return nil, p, false
		}
		out, p = append(out, p[2:2+size]), p[2+size:]
	}
	return out, p, true
}
