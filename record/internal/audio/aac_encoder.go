package audio

import (
	"fmt"
	"math"
)

// aacEncoder codes mono audio as AAC-LC raw access units (ISO/IEC 14496-3,
// one single_channel_element per unit, long blocks with the sine window).
//
// No psychoacoustic model: every band shares one scalefactor, so the
// quantisation noise is white and as small as the bit budget allows, which
// is what maximises SNR; a binary search finds the finest step that fits the
// frame's budget, and a small bit reservoir lets busy frames borrow what
// quiet ones left.
type aacEncoder struct {
	rateIndex int
	swb       []uint16 // band offsets, the last is 1024
	meanBits  int      // per frame at the target bitrate
	reservoir int      // bits saved by earlier frames
	maxSaved  int

	mdct   *mdct
	input  [mdctIn]float32 // previous frame then current, scaled to 16 bits
	spec   [mdctOut]float32
	pow34  [mdctOut]float32 // |spec|^(3/4)
	q      [mdctOut]int32
	bandCB [64]uint8
	gain   [256]float32 // 2^(-3/16 (sf-100)): the step for |x|^(3/4)
	w      bitWriter
}

// maxFrameBits is the most a mono access unit may carry (4.5.3.2: 6144 bits
// per channel of decoder input buffer).
const maxFrameBits = 6144

// rateIndexes are the sampling_frequency_index values of the standard
// (Table 1.18).
var rateIndexes = map[int]int{
	96000: 0, 88200: 1, 64000: 2, 48000: 3, 44100: 4, 32000: 5,
	24000: 6, 22050: 7, 16000: 8, 12000: 9, 11025: 10, 8000: 11, 7350: 12,
}

func newAACEncoder(sampleRate, bitrate int) (*aacEncoder, error) {
	ri, ok := rateIndexes[sampleRate]
	if !ok {
		return nil, fmt.Errorf("AAC has no sample rate %d Hz", sampleRate)
	}
	mean := bitrate * frameSize / sampleRate
	if mean < 200 || mean > maxFrameBits {
		return nil, fmt.Errorf("bitrate %d is out of range at %d Hz", bitrate, sampleRate)
	}
	e := &aacEncoder{
		rateIndex: ri,
		swb:       swbOffsetLong[ri],
		meanBits:  mean,
		maxSaved:  min(maxFrameBits-mean, 2*mean),
		mdct:      newMDCT(),
	}
	for sf := range e.gain {
		e.gain[sf] = float32(math.Pow(2, -0.1875*float64(sf-100)))
	}
	return e, nil
}

// reset forgets the previous frame, for a new stream.
func (e *aacEncoder) reset() {
	clear(e.input[:])
	e.reservoir = 0
}

// encode appends one access unit to dst. frame holds the next 1024 samples
// in [-1, 1) (nil: silence, to drain). The unit returned codes the frame
// before this one: AAC's overlapping transform needs the next frame to
// finish a frame, so the first unit of a stream decodes to silence.
func (e *aacEncoder) encode(dst []byte, frame []float32) []byte {
	copy(e.input[:frameSize], e.input[frameSize:])
	cur := e.input[frameSize:]
	if frame == nil {
		clear(cur)
	} else {
		for i, x := range frame[:frameSize] {
			cur[i] = x * 32768
		}
	}
	e.mdct.transform(&e.input, &e.spec)
	peak := float32(0)
	for i, x := range e.spec {
		p := float32(math.Sqrt(math.Sqrt(float64(abs(x)))))
		p *= p * p // |x|^(3/4)
		e.pow34[i] = p
		peak = max(peak, p)
	}
	budget := min(maxFrameBits, e.meanBits+e.reservoir)
	sf := e.chooseScalefactor(peak, budget)
	used := e.quantise(sf)
	dst = e.write(dst, sf)
	e.reservoir = min(e.maxSaved, max(0, e.reservoir+e.meanBits-used))
	return dst
}

// chooseScalefactor finds the smallest scalefactor (finest step) whose frame
// fits in budget bits. Coarser steps never cost more, so a binary search
// does, between the step that keeps every value ≤ 8191 and the coarsest.
func (e *aacEncoder) chooseScalefactor(peak float32, budget int) int {
	lo := 0
	for lo < 255 && peak*e.gain[lo]+0.4054 > 8191 {
		lo++
	}
	hi := 255
	if e.quantise(lo) <= budget {
		return lo
	}
	for hi-lo > 1 { // quantise(lo) > budget, quantise(hi) fits or is the coarsest
		mid := (lo + hi) / 2
		if e.quantise(mid) <= budget {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

// quantise fills q and the codebook of every band for scalefactor sf and
// returns the frame's size in bits.
func (e *aacEncoder) quantise(sf int) int {
	g := e.gain[sf]
	bits := 3 + 4 + 8 + 11 + 3 + 3 // SCE header, global_gain, ics_info, three flags, END
	prev, run := -1, 0
	for b := 0; b+1 < len(e.swb); b++ {
		lo, hi := int(e.swb[b]), int(e.swb[b+1])
		m := int32(0)
		for i := lo; i < hi; i++ {
			v := int32(e.pow34[i]*g + 0.4054)
			if e.spec[i] < 0 {
				v = -v
			}
			e.q[i] = v
			m = max(m, abs32(v))
		}
		cb := e.bandCodebook(m, e.q[lo:hi], &bits)
		e.bandCB[b] = uint8(cb)
		if cb != prev {
			bits += 4 + 5 // sect_cb and the first sect_len field
			prev, run = cb, 0
		}
		if run++; run%31 == 0 {
			bits += 5
		}
	}
	return bits + 7 // worst-case byte alignment
}

// bandCodebook picks the cheaper of the two codebooks that fit the band and
// adds its cost (with the band's scalefactor, 1 bit: no change) to bits.
func (e *aacEncoder) bandCodebook(m int32, v []int32, bits *int) int {
	cb := firstCodebook(m)
	if cb == 0 {
		return 0
	}
	best := codebooks[cb].bits(v)
	if cb < escCodebook {
		if alt := codebooks[cb+1].bits(v); alt < best {
			cb, best = cb+1, alt
		}
	}
	*bits += best + int(sfHuffLen[60])
	return cb
}

// write emits the access unit for the bands quantise last filled: the
// single_channel_element of 4.4.2.1 with its individual_channel_stream,
// then the END element, byte aligned.
func (e *aacEncoder) write(dst []byte, sf int) []byte {
	w := &e.w
	w.reset(dst)
	bands := len(e.swb) - 1
	maxSFB := bands
	for maxSFB > 0 && e.bandCB[maxSFB-1] == 0 {
		maxSFB--
	}
	w.put(0, 3)          // id_syn_ele: ID_SCE
	w.put(0, 4)          // element_instance_tag
	w.put(uint32(sf), 8) // global_gain: the first band's scalefactor
	w.put(0, 1)          // ics_reserved_bit
	w.put(0, 2)          // window_sequence: ONLY_LONG_SEQUENCE
	w.put(0, 1)          // window_shape: sine
	w.put(uint32(maxSFB), 6)
	w.put(0, 1) // predictor_data_present
	e.writeSections(maxSFB)
	for b := range maxSFB { // scale_factor_data: every difference is 0
		if e.bandCB[b] != 0 {
			w.put(sfHuffCode[60], uint(sfHuffLen[60]))
		}
	}
	w.put(0, 3) // pulse_data_present, tns_data_present, gain_control_data_present
	for b := range maxSFB {
		if cb := e.bandCB[b]; cb != 0 {
			codebooks[cb].write(w, e.q[e.swb[b]:e.swb[b+1]])
		}
	}
	w.put(7, 3) // ID_END
	return w.align()
}

// writeSections codes section_data for long windows: runs of bands with the
// same codebook, lengths in 5-bit pieces where 31 means "more follows".
func (e *aacEncoder) writeSections(maxSFB int) {
	w := &e.w
	for b := 0; b < maxSFB; {
		cb := e.bandCB[b]
		n := 1
		for b+n < maxSFB && e.bandCB[b+n] == cb {
			n++
		}
		w.put(uint32(cb), 4)
		for rest := n; ; rest -= 31 {
			if rest < 31 {
				w.put(uint32(rest), 5)
				break
			}
			w.put(31, 5)
		}
		b += n
	}
}

func abs(x float32) float32 {
	return math.Float32frombits(math.Float32bits(x) &^ (1 << 31))
}
