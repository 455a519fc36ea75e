package audio

import (
	"testing"

	"github.com/camshare/camshare/audio/internal/goaac/enc"
)

// BenchmarkTranscode measures the transcoder's time per second of camera
// audio (ms/audio-s: wall time of one goroutine, so CPU time), fed in 20 ms
// packets like RTP. bench/audio.sh compares the same work with ffmpeg.
func BenchmarkTranscode(b *testing.B) {
	benchCoder(b, aacCoder)
}

// BenchmarkCoders compares the encoder's coders on the same audio: time, and
// the SNR of the ffmpeg-decoded result against the input (untimed).
func BenchmarkCoders(b *testing.B) {
	for _, c := range []struct {
		name  string
		coder enc.CoderKind
	}{{"fast", enc.CoderFast}, {"twoloop", enc.CoderTwoLoop}, {"nmr", enc.CoderNMR}} {
		b.Run(c.name, func(b *testing.B) { benchCoder(b, c.coder) })
	}
}

const benchSeconds = 10

var benchInput []byte

func benchCoder(b *testing.B, coder enc.CoderKind) {
	if benchInput == nil {
		benchInput = cameraG711(b, benchSeconds, false)
	}
	g := benchInput
	var last []AU
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		tr, err := newTranscoder(false, coder)
		if err != nil {
			b.Fatal(err)
		}
		last = last[:0]
		for off := 0; off < len(g); off += 160 {
			aus, err := tr.Write(g[off:min(off+160, len(g))], int64(off))
			if err != nil {
				b.Fatal(err)
			}
			last = append(last, aus...)
		}
		aus, err := tr.Flush()
		if err != nil {
			b.Fatal(err)
		}
		last = append(last, aus...)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N)/benchSeconds, "ms/audio-s")
	n := 0
	for _, au := range last {
		n += len(au.Data)
	}
	b.ReportMetric(float64(n*8)/benchSeconds/1000, "kbit/s")
	tr, _ := newTranscoder(false, coder)
	dec := decodeToFloat(b, writeADTS(b, tr, last))
	b.ReportMetric(snrDB(decodeG711(b, g, false), dec, encoderDelay), "snr-dB")
}
