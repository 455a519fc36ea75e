package segment

import (
	"testing"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"
)

// Cutting one stream into two segments the way the recorder does (the
// sample that starts the next segment gives the end of this one) leaves no
// gap and no overlap: the durations add up to the stream.
func TestConsecutiveSegments(t *testing.T) {
	dir := t.TempDir()
	m := clip(t, "libx264", 4, true)
	cut := int64(2 * 90000) // a keyframe (one every second)
	steps := interleave(m)
	var infos []Info
	var w *Writer
	next := 0
	for _, from := range []time.Time{testStart, testStart.Add(2 * time.Second)} {
		var err error
		if w, err = Create(dir, utcScheme(t), from, m.tracks); err != nil {
			t.Fatal(err)
		}
		end := map[int]int64{}
		for ; next < len(steps); next++ {
			x := steps[next]
			id := m.tracks[x.track].ID
			// The first video sample at or after the cut starts the next
			// segment; audio follows it there by time.
			if from.Equal(testStart) && x.dts*90000/int64(m.tracks[x.track].TimeScale) >= cut {
				if _, ok := end[id]; !ok {
					end[id] = x.dts
				}
				if id == 1 {
					break
				}
				continue
			}
			s := x.s
			if err := w.Write(id, x.dts, &s); err != nil {
				t.Fatal(err)
			}
		}
		if next == len(steps) {
			end = endOf(m, 0)
		}
		info, err := w.Close(end)
		if err != nil {
			t.Fatal(err)
		}
		infos = append(infos, info)
		if from.Equal(testStart) {
			// Replay the audio that was held for the second segment.
			for next > 0 && steps[next-1].track != 0 {
				next--
			}
		}
	}
	if infos[0].Duration != 2*time.Second || infos[1].Duration != 2*time.Second {
		t.Fatalf("durations %v and %v, want 2s each", infos[0].Duration, infos[1].Duration)
	}
	if infos[0].Name != "20240323T152000+0000.mp4" || infos[1].Name != "20240323T152002+0000.mp4" {
		t.Fatalf("names %s %s", infos[0].Name, infos[1].Name)
	}
	total := 0
	for _, info := range infos {
		checkHeaders(t, info.Path, []float64{2, -1}, 0.001)
		decodes(t, info.Path)
		total += frames(t, info.Path)
	}
	if total != 40 {
		t.Fatalf("%d frames in both, want 40", total)
	}
}

// BenchmarkWrite reports the cost of writing one second of 25 fps video
// plus AAC per iteration; allocs/op shows the per-fragment work stays
// allocation-light.
func BenchmarkWrite(b *testing.B) {
	dir := b.TempDir()
	tracks := []*Track{
		{ID: 1, TimeScale: 90000, Codec: &fmp4.CodecH264{
			SPS: []byte{0x67, 0x42, 0xc0, 0x1f, 0xd9, 0x00, 0x78, 0x02, 0x27, 0xe5, 0x84, 0x00, 0x00, 0x03, 0x00, 0x04, 0x00, 0x00, 0x03, 0x00, 0xf0, 0x3c, 0x60, 0xc9, 0x20},
			PPS: []byte{0x68, 0xcb, 0x8c, 0xb2}}},
		{ID: 2, TimeScale: 48000, Codec: seedAAC()},
	}
	w, err := Create(dir, utcScheme(b), testStart, tracks)
	if err != nil {
		b.Fatal(err)
	}
	frame := make([]byte, 20000)
	au := make([]byte, 300)
	var vdts, adts int64
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for i := range 25 {
			s := fmp4.Sample{Payload: frame, IsNonSyncSample: i != 0}
			if err := w.Write(1, vdts, &s); err != nil {
				b.Fatal(err)
			}
			vdts += 3600
			for adts*90000/48000 < vdts {
				s := fmp4.Sample{Payload: au}
				if err := w.Write(2, adts, &s); err != nil {
					b.Fatal(err)
				}
				adts += 1024
			}
		}
	}
	b.StopTimer()
	w.Abort()
}
