package audio

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

// TestQuality: a fixed set of camera-like signals, as 8 kHz G.711, coded by
// our encoder and by `ffmpeg -acodec aac -b:a 48k`; both decoded by ffmpeg
// and delay-aligned to the G.711 source. Our segmental SNR must be no worse
// than 2 dB below ffmpeg's, and our loudness within 1 dB of the source's,
// without clipping.
func TestQuality(t *testing.T) {
	signals := []struct {
		name string
		g711 func(t *testing.T) []byte
	}{
		{"sweep", func(t *testing.T) []byte {
			// 100 Hz to 3.9 kHz, exponential, over 6 s, at -9 dBFS.
			return ffmpegG711(t, "0.35*sin(2*PI*100*6/log(39)*(exp(t/6*log(39))-1))", 6, false)
		}},
		{"speech", speechG711},
		{"room", func(t *testing.T) []byte {
			// Room tone: pink noise with mains hum and its harmonic.
			return ffmpegG711(t, "0.02*sin(2*PI*50*t)+0.01*sin(2*PI*150*t)+0.08*(random(0)-0.5)+0.05*(random(1)-0.5)", 6, false)
		}},
	}
	for _, sig := range signals {
		t.Run(sig.name, func(t *testing.T) {
			g := sig.g711(t)
			ref := decodeG711(t, g, false)
			tr, err := NewG711Transcoder(false)
			if err != nil {
				t.Fatal(err)
			}
			ours := decodeToFloat(t, writeADTS(t, tr, transcodePackets(t, tr, g, 0)))
			theirs := decodeToFloat(t, ffmpegAAC(t, g))
			oursSNR, oursLag := bestSegSNR(ref, ours)
			ffSNR, ffLag := bestSegSNR(ref, theirs)
			t.Logf("%s: segmental SNR camshare %.2f dB (lag %d), ffmpeg -b:a 48k %.2f dB (lag %d)", sig.name, oursSNR, oursLag, ffSNR, ffLag)
			if oursSNR < ffSNR-2 {
				t.Errorf("segmental SNR %.2f dB is more than 2 dB below ffmpeg's %.2f dB", oursSNR, ffSNR)
			}
			aligned := alignedTo(ref, ours, oursLag)
			loud := dB(sq(rms(aligned)) / sq(rms(ref)))
			t.Logf("%s: loudness %.2f dB relative to the source (rms %.4f vs %.4f)", sig.name, loud, rms(aligned), rms(ref))
			if math.Abs(loud) > 1 || math.IsNaN(loud) {
				t.Errorf("loudness %.2f dB off the source", loud)
			}
			if c, s := clipped(ours), clipped(ref); c > s {
				t.Errorf("%d clipped samples (source: %d)", c, s)
			}
		})
	}
}

// speechG711 is espeak-ng's speech resampled to 8 kHz A-law, as a camera's
// microphone hears a voice.
func speechG711(t *testing.T) []byte {
	dir := t.TempDir()
	wav := filepath.Join(dir, "speech.wav")
	run(t, "espeak-ng", "-v", "en", "-s", "150", "-w", wav,
		"Someone is at the front door. The parcel was left on the porch at ten past three. The dog barked twice.")
	out := filepath.Join(dir, "speech.alaw")
	run(t, "ffmpeg", "-nostdin", "-v", "error", "-i", wav, "-af", "volume=-3dB", "-f", "alaw", "-ar", "8000", "-ac", "1", out)
	g, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// ffmpegAAC codes A-law with ffmpeg's own AAC encoder at 48 kbit/s, the
// hand-made reference set-up.
func ffmpegAAC(t *testing.T, g []byte) string {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.alaw")
	if err := os.WriteFile(in, g, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "ffmpeg.m4a")
	run(t, "ffmpeg", "-nostdin", "-v", "error", "-f", "alaw", "-ar", "8000", "-ac", "1", "-i", in,
		"-acodec", "aac", "-b:a", "48k", out)
	return out
}

// segFrame is the segmental SNR's frame (32 ms at 8 kHz); frames quieter
// than segQuiet (-50 dBFS) are left out, and each frame's SNR is held to
// [-10, 35] dB, the usual definition.
const (
	segFrame = 256
	segQuiet = 1e-5 // mean square
)

// bestSegSNR aligns dec to ref (the lag within ±2 frames of AAC that gives
// the least error) and returns the segmental SNR there.
func bestSegSNR(ref, dec []float64) (float64, int) {
	bestLag, bestErr := 0, math.Inf(1)
	for lag := -2048; lag <= 2048; lag++ {
		var e float64
		for i := 0; i < len(ref); i += 4 { // every 4th sample is plenty to find the lag
			j := i + lag
			if j < 0 || j >= len(dec) {
				e += ref[i] * ref[i]
				continue
			}
			d := dec[j] - ref[i]
			e += d * d
		}
		if e < bestErr {
			bestLag, bestErr = lag, e
		}
	}
	return segSNR(ref, alignedTo(ref, dec, bestLag)), bestLag
}

// alignedTo returns dec shifted by lag to line up with ref (zeros where
// dec has nothing).
func alignedTo(ref, dec []float64, lag int) []float64 {
	out := make([]float64, len(ref))
	for i := range out {
		if j := i + lag; j >= 0 && j < len(dec) {
			out[i] = dec[j]
		}
	}
	return out
}

func segSNR(ref, dec []float64) float64 {
	var sum float64
	n := 0
	for start := 0; start+segFrame <= len(ref); start += segFrame {
		var sig, noise float64
		for i := start; i < start+segFrame; i++ {
			d := dec[i] - ref[i]
			sig += ref[i] * ref[i]
			noise += d * d
		}
		if sig/segFrame < segQuiet {
			continue
		}
		sum += min(35, max(-10, dB(sig/max(noise, 1e-20))))
		n++
	}
	return sum / float64(max(n, 1))
}

func sq(x float64) float64 { return x * x }

func clipped(s []float64) int {
	n := 0
	for _, x := range s {
		if x >= 32767.0/32768 || x <= -1 {
			n++
		}
	}
	return n
}
