package audio

import "math"

// upsampler turns 8 kHz audio into 48 kHz audio (x6) with a polyphase
// Lanczos-4 interpolator: every output is a weighted sum of 8 input samples,
// so it costs 8 multiply-adds per output sample, negligible next to the AAC
// encoder. Lanczos-4 keeps the telephone band (up to 3.4 kHz) flat within a
// fraction of a dB and attenuates the spectral images (8 kHz ± f, ...)
// strongly; the encoder's 4 kHz coding bandwidth then removes whatever is left
// above 4 kHz, so no imaging reaches the listener.
//
// The filter is zero-phase: output m sits exactly at input time m/6. It needs
// 4 input samples of look-ahead, so push produces nothing for the first 4
// samples after reset, and drain feeds 4 zeros to release the tail. After
// reset+drain, exactly 6 outputs exist per input sample, aligned in time.
type upsampler struct {
	hist  [upTaps]float32 // last upTaps input samples, oldest first
	seen  int             // samples pushed since reset (saturates at upTaps)
	coefs *[upFactor][upTaps]float32
}

const (
	upFactor = 6
	upTaps   = 8 // input samples per output (Lanczos a=4: t in (-4, 4))
	upLobes  = upTaps / 2
)

var lanczos6 = buildLanczos6()

// buildLanczos6 computes coefs[p][j] = L(p/6 - (j-3)), the weight of input
// sample i+j-3 for output 6i+p, normalised per phase to unity gain at DC.
func buildLanczos6() *[upFactor][upTaps]float32 {
	c := new([upFactor][upTaps]float32)
	for p := range upFactor {
		var w [upTaps]float64
		sum := 0.0
		for j := range upTaps {
			t := float64(p)/upFactor - float64(j-(upLobes-1))
			w[j] = sinc(t) * sinc(t/upLobes)
			sum += w[j]
		}
		for j := range upTaps {
			c[p][j] = float32(w[j] / sum)
		}
	}
	return c
}

func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

func (u *upsampler) reset() {
	*u = upsampler{coefs: lanczos6}
}

// push takes the next input sample. Once enough look-ahead is buffered it
// writes the 6 outputs belonging to input sample seen-4 into out and reports
// true.
func (u *upsampler) push(x float32, out *[upFactor]float32) bool {
	copy(u.hist[:], u.hist[1:])
	u.hist[upTaps-1] = x
	if u.seen < upTaps {
		u.seen++
	}
	if u.seen <= upLobes {
		return false // outputs before the stream start: drop them
	}
	// hist[j] is input sample i+j-3 for the output block i = newest-4.
	h := &u.hist
	for p := range upFactor {
		c := &u.coefs[p]
		out[p] = c[0]*h[0] + c[1]*h[1] + c[2]*h[2] + c[3]*h[3] +
			c[4]*h[4] + c[5]*h[5] + c[6]*h[6] + c[7]*h[7]
	}
	return true
}

// tail reports how many zero samples must be pushed at end of stream to
// release the outputs still owed for the last real samples (the look-ahead).
func (u *upsampler) tail() int {
	if u.seen == 0 {
		return 0
	}
	return upLobes
}
