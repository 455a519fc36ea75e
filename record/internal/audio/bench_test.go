package audio

import (
	"fmt"
	"testing"

	"github.com/camshare/camshare/record/internal/audio/internal/goaac/enc"
)

// BenchmarkTranscode measures the transcoder's CPU time (process user+sys,
// garbage collection included) per second of camera audio, fed in 20 ms
// packets like RTP. bench/audio.sh compares the same work with ffmpeg.
func BenchmarkTranscode(b *testing.B) {
	benchCoder(b, aacCoder)
}

func benchCoder(b *testing.B, coder enc.CoderKind) {
	benchConfig(b, enc.Config{SampleRate: sampleRate, Bitrate: aacBitrate, Channels: 1, Coder: coder})
}

// BenchmarkCoders compares the encoder's coders and a few bitrates on the
// same audio: CPU, the bitrate reached, and the SNR of the ffmpeg-decoded
// result against the input (computed untimed). It is how the defaults (fast
// coder, 48 kbit/s target) were chosen.
func BenchmarkCoders(b *testing.B) {
	for _, c := range []struct {
		name  string
		coder enc.CoderKind
	}{{"fast", enc.CoderFast}, {"twoloop", enc.CoderTwoLoop}, {"nmr", enc.CoderNMR}} {
		for _, br := range []int{24000, 32000, 48000} {
			b.Run(fmt.Sprintf("%s/%dk", c.name, br/1000), func(b *testing.B) {
				benchConfig(b, enc.Config{SampleRate: sampleRate, Bitrate: br, Channels: 1, Coder: c.coder})
			})
		}
	}
}

const benchSeconds = 10

var benchInput []byte

func benchConfig(b *testing.B, cfg enc.Config) {
	if benchInput == nil {
		benchInput = cameraG711(b, benchSeconds, false)
	}
	g := benchInput
	var last []AU
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuSeconds()
	for range b.N {
		tr, err := newTranscoder(false, cfg)
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
	cpu := cpuSeconds() - cpu0
	b.StopTimer()
	b.ReportMetric(cpu*1000/float64(b.N)/benchSeconds, "cpu-ms/audio-s")
	n := 0
	for _, au := range last {
		n += len(au.Data)
	}
	b.ReportMetric(float64(n*8)/benchSeconds/1000, "kbit/s")
	tr, _ := newTranscoder(false, cfg)
	dec := decodeToFloat(b, writeADTS(b, tr, last))
	b.ReportMetric(snrDB(decodeG711(b, g, false), dec, encoderDelay), "snr-dB")
}
