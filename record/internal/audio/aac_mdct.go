package audio

import "math"

// The long-block MDCT of AAC (ISO/IEC 14496-3 4.6.11): 2048 windowed samples
// give 1024 spectral values
//
//	X[k] = 2 Σ z[n] cos(2π/N (n + n0)(k + ½)),  N = 2048, n0 = (N/2 + 1)/2.
//
// It is computed as a DCT-IV of the folded input (time-domain aliasing),
// which in turn is a 512-point complex FFT between two twiddle rotations:
// about 30 k multiplies per frame instead of 2 M for the sum as written.
const (
	mdctIn   = 2 * frameSize // N
	mdctOut  = frameSize     // N/2
	fftLen   = mdctOut / 2   // complex points of the DCT-IV
	fftLevel = 9             // log2(fftLen)
)

type mdct struct {
	window [mdctIn]float32   // sine window (window_shape 0)
	pre    [fftLen]complex64 // exp(-iπn/M), before the FFT
	post   [fftLen]complex64 // exp(-iπ(k+¼)/M), after it
	roots  [fftLen / 2]complex64
	bitrev [fftLen]uint16
	folded [mdctOut]float32
	buf    [fftLen]complex64
}

func newMDCT() *mdct {
	m := &mdct{}
	for n := range mdctIn {
		m.window[n] = float32(math.Sin(math.Pi / mdctIn * (float64(n) + 0.5)))
	}
	for n := range fftLen {
		a := -math.Pi * float64(n) / mdctOut
		m.pre[n] = complex(float32(math.Cos(a)), float32(math.Sin(a)))
		a = -math.Pi * (float64(n) + 0.25) / mdctOut
		m.post[n] = complex(float32(math.Cos(a)), float32(math.Sin(a)))
		r := 0
		for b := range fftLevel {
			r |= (n >> b & 1) << (fftLevel - 1 - b)
		}
		m.bitrev[n] = uint16(r)
	}
	for k := range fftLen / 2 {
		a := -2 * math.Pi * float64(k) / fftLen
		m.roots[k] = complex(float32(math.Cos(a)), float32(math.Sin(a)))
	}
	return m
}

// transform windows in (2048 samples: the previous frame then the current)
// and writes the 1024 MDCT coefficients to out.
func (m *mdct) transform(in *[mdctIn]float32, out *[mdctOut]float32) {
	const h = mdctOut / 2
	w := &m.window
	v := &m.folded
	// Fold the four quarters (a, b, c, d) into (-c_r - d, a - b_r).
	for n := range h {
		v[n] = -in[3*h-1-n]*w[3*h-1-n] - in[3*h+n]*w[3*h+n]
		v[h+n] = in[n]*w[n] - in[mdctOut-1-n]*w[mdctOut-1-n]
	}
	// DCT-IV of v: pre-rotation into bit-reversed order, FFT, post-rotation.
	for n := range fftLen {
		z := complex(v[2*n], v[mdctOut-1-2*n]) * m.pre[n]
		m.buf[m.bitrev[n]] = z
	}
	m.fft()
	for k := range fftLen {
		y := m.buf[k] * m.post[k]
		out[2*k] = 2 * real(y)
		out[mdctOut-1-2*k] = -2 * imag(y)
	}
}

// fft is an in-place radix-2 decimation-in-time FFT of buf, which holds its
// input in bit-reversed order.
func (m *mdct) fft() {
	b := &m.buf
	for size := 2; size <= fftLen; size <<= 1 {
		half, step := size/2, fftLen/size
		for start := 0; start < fftLen; start += size {
			for j := range half {
				t := b[start+j+half] * m.roots[j*step]
				u := b[start+j]
				b[start+j] = u + t
				b[start+j+half] = u - t
			}
		}
	}
}
