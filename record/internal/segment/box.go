package segment

import "encoding/binary"

// box is one ISO-BMFF box header found in a byte slice: its type, where its
// payload starts and where the box ends (both relative to the slice).
type box struct {
	typ   string
	start int // offset of the header
	body  int // offset of the payload
	end   int // offset just past the box
}

// nextBox reads the box header at off in b. It is false when the header or
// the box does not fit in b (a torn or garbage tail), so callers never index
// past the data whatever bytes they are given.
func nextBox(b []byte, off int) (box, bool) {
	if off < 0 || off+8 > len(b) {
		return box{}, false
	}
	size := uint64(binary.BigEndian.Uint32(b[off:]))
	typ := string(b[off+4 : off+8])
	hdr := 8
	switch size {
	case 0: // box runs to the end of the data
		size = uint64(len(b) - off)
	case 1: // 64-bit largesize follows the type
		if off+16 > len(b) {
			return box{}, false
		}
		size = binary.BigEndian.Uint64(b[off+8:])
		hdr = 16
	}
	if size < uint64(hdr) || size > uint64(len(b)-off) {
		return box{}, false
	}
	return box{typ: typ, start: off, body: off + hdr, end: off + int(size)}, true
}

// children lists the boxes inside parent's payload, skipping skip bytes of
// full-box or sample-entry fields first. It stops at the first box that does
// not fit.
func children(b []byte, parent box, skip int) []box {
	var out []box
	for off := parent.body + skip; off < parent.end; {
		c, ok := nextBox(b[:parent.end], off)
		if !ok {
			break
		}
		out = append(out, c)
		off = c.end
	}
	return out
}

// child is the first box of type typ inside parent.
func child(b []byte, parent box, typ string, skip int) (box, bool) {
	for _, c := range children(b, parent, skip) {
		if c.typ == typ {
			return c, true
		}
	}
	return box{}, false
}
