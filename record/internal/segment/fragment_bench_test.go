package segment

import (
	"testing"

	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4/seekablebuffer"
)

// oneSecond is a fragment as a 640x360 15 fps camera at ~512 kbit/s with
// G.711 → AAC sends it: 15 frames (a 32 kB keyframe, 14 × 2.5 kB) and 8
// AAC frames.
func oneSecond() (video, audio []fmp4.Sample) {
	for i := range 15 {
		n := 2500
		if i == 0 {
			n = 32000
		}
		video = append(video, fmp4.Sample{Duration: 6000, IsNonSyncSample: i > 0, Payload: make([]byte, n)})
	}
	for range 8 {
		audio = append(audio, fmp4.Sample{Duration: 1024, Payload: make([]byte, 200)})
	}
	return video, audio
}

// BenchmarkFragment compares the fragment writer segment uses with
// mediacommon's fmp4.Part.Marshal on the same fragment; the figures are in
// the package documentation (go test -bench Fragment -benchmem).
func BenchmarkFragment(b *testing.B) {
	video, audio := oneSecond()
	b.Run("segment", func(b *testing.B) {
		var buf []byte
		runs := make([]run, 2)
		vs, as := queuedOf(video), queuedOf(audio)
		b.ReportAllocs()
		for b.Loop() {
			runs[0] = newRun(1, 90000, vs)
			runs[1] = newRun(2, 8000, as)
			buf = appendFragment(buf[:0], 2, runs)
		}
	})
	b.Run("mediacommon", func(b *testing.B) {
		vp := make([]*fmp4.Sample, len(video))
		ap := make([]*fmp4.Sample, len(audio))
		for i := range video {
			vp[i] = &video[i]
		}
		for i := range audio {
			ap[i] = &audio[i]
		}
		b.ReportAllocs()
		for b.Loop() {
			p := fmp4.Part{SequenceNumber: 2, Tracks: []*fmp4.PartTrack{
				{ID: 1, BaseTime: 90000, Samples: vp},
				{ID: 2, BaseTime: 8000, Samples: ap},
			}}
			var sb seekablebuffer.Buffer
			if err := p.Marshal(&sb); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// queuedOf is samples as the writer queues them.
func queuedOf(samples []fmp4.Sample) []sample {
	out := make([]sample, len(samples))
	for i := range samples {
		out[i].Sample = samples[i]
	}
	return out
}
