package audio

import (
	"fmt"
	"testing"
)

// BenchmarkTranscode measures the transcoder's CPU time (process user+sys,
// garbage collection included) per second of camera audio, fed in 20 ms
// packets like RTP. bench/audio.sh compares the same work with ffmpeg.
func BenchmarkTranscode(b *testing.B) {
	benchConfig(b, aacBitrate)
}

// BenchmarkBitrates compares a few bitrates on the same audio: CPU, the
// bitrate reached, and the SNR of the ffmpeg-decoded result against the
// input (computed untimed). It is how the default was chosen.
func BenchmarkBitrates(b *testing.B) {
	for _, br := range []int{24000, 32000, 48000} {
		b.Run(fmt.Sprintf("%dk", br/1000), func(b *testing.B) { benchConfig(b, br) })
	}
}

const benchSeconds = 10

var benchInput []byte

func benchConfig(b *testing.B, bitrate int) {
	if benchInput == nil {
		benchInput = cameraG711(b, benchSeconds, false)
	}
	g := benchInput
	var last []AU
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuSeconds()
	for range b.N {
		tr, err := newTranscoder(false, bitrate)
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
	tr, _ := newTranscoder(false, bitrate)
	dec := decodeToFloat(b, writeADTS(b, tr, last))
	b.ReportMetric(snrDB(decodeG711(b, g, false), dec, encoderDelay), "snr-dB")
}
