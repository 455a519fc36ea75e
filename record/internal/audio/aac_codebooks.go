package audio

// The 11 spectrum codebooks (ISO/IEC 14496-3 Table 4.A.1's companion list,
// 4.6.3.1): how many values a codeword carries, whether signs are inside
// the codeword, and the largest absolute value it codes (16 in codebook 11
// means "escape follows").
type codebook struct {
	dim    int  // values per codeword: 4 or 2
	signed bool // signs coded in the codeword (else one bit per non-zero value)
	lav    int32
	code   []uint16
	length []uint8
}

const escCodebook = 11

var codebooks = buildCodebooks()

func buildCodebooks() (c [12]codebook) {
	lav := [12]int32{0, 1, 1, 2, 2, 4, 4, 7, 7, 12, 12, 16}
	for cb := 1; cb <= 11; cb++ {
		c[cb] = codebook{
			dim:    map[bool]int{true: 4, false: 2}[cb <= 4],
			signed: cb == 1 || cb == 2 || cb == 5 || cb == 6,
			lav:    lav[cb],
			code:   specHuffCode[cb-1],
			length: specHuffLen[cb-1],
		}
	}
	return c
}

// firstCodebook is the lower of the two codebooks (a pair of equal range)
// that can code a band whose largest absolute value is m; the other is the
// next one. 0 means the band is all zero (ZERO_HCB).
func firstCodebook(m int32) int {
	switch {
	case m == 0:
		return 0
	case m == 1:
		return 1
	case m == 2:
		return 3
	case m <= 4:
		return 5
	case m <= 7:
		return 7
	case m <= 12:
		return 9
	}
	return escCodebook
}

// index is a codeword's position in the codebook for the values v (dim of
// them): digits in base 2·lav+1 (signed, offset by lav) or lav+1 (unsigned,
// absolute values; codebook 11 counts 16 for everything from 16 up).
func (c *codebook) index(v []int32) int {
	idx := 0
	if c.signed {
		base := 2*c.lav + 1
		for _, x := range v[:c.dim] {
			idx = idx*int(base) + int(x+c.lav)
		}
		return idx
	}
	base := c.lav + 1
	for _, x := range v[:c.dim] {
		a := min(abs32(x), c.lav)
		idx = idx*int(base) + int(a)
	}
	return idx
}

// bits is the cost of coding v (a multiple of dim values) in the codebook:
// codewords, sign bits and escapes.
func (c *codebook) bits(v []int32) int {
	n := 0
	for i := 0; i < len(v); i += c.dim {
		g := v[i : i+c.dim]
		n += int(c.length[c.index(g)])
		if c.signed {
			continue
		}
		for _, x := range g {
			if x != 0 {
				n++
			}
			if c.lav == 16 && abs32(x) >= 16 {
				n += escapeBits(abs32(x))
			}
		}
	}
	return n
}

// write codes v into w: per codeword the Huffman code, then the sign bits
// (unsigned codebooks, 1 = negative), then the escapes (4.6.3.3).
func (c *codebook) write(w *bitWriter, v []int32) {
	for i := 0; i < len(v); i += c.dim {
		g := v[i : i+c.dim]
		idx := c.index(g)
		w.put(uint32(c.code[idx]), uint(c.length[idx]))
		if c.signed {
			continue
		}
		for _, x := range g {
			if x < 0 {
				w.put(1, 1)
			} else if x > 0 {
				w.put(0, 1)
			}
		}
		if c.lav != 16 {
			continue
		}
		for _, x := range g {
			if a := abs32(x); a >= 16 {
				writeEscape(w, a)
			}
		}
	}
}

// escapeBits is the length of escape_sequence for a ≥ 16: N-4 ones, a
// zero, then the N bits below a's leading one, N = ⌊log2 a⌋.
func escapeBits(a int32) int {
	n := log2(a)
	return 2*n - 3
}

func writeEscape(w *bitWriter, a int32) {
	n := log2(a)
	w.put(1<<(n-4)-1, uint(n-4))
	w.put(0, 1)
	w.put(uint32(a)&(1<<n-1), uint(n))
}

func log2(a int32) int {
	n := 0
	for a > 1 {
		a >>= 1
		n++
	}
	return n
}

func abs32(x int32) int32 {
	if x < 0 {
		return -x
	}
	return x
}
