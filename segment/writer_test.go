package segment

import (
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/camshare/camshare/layout"
)

var testStart = time.Date(2024, 3, 23, 10, 20, 0, 0, time.FixedZone("", -5*3600))

func utcScheme(t testing.TB) *layout.Scheme {
	s, err := layout.New("%Y%m%dT%H%M%S%z.mp4", "", true)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestH264AAC(t *testing.T) {
	dir := t.TempDir()
	m := clip(t, "libx264", 4, true)
	w := record(t, dir, utcScheme(t), testStart, m, 123456789)
	if _, err := os.Stat(filepath.Join(dir, "20240323T152000+0000.tmp")); err != nil {
		t.Fatalf("open segment is not under its temp name: %v", err)
	}
	info, err := w.Close(endOf(m, 123456789))
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != "20240323T152000+0000.mp4" || info.Path != filepath.Join(dir, info.Name) {
		t.Fatalf("info %+v", info)
	}
	if _, err := os.Stat(filepath.Join(dir, "20240323T152000+0000.tmp")); !os.IsNotExist(err) {
		t.Fatalf("temp file left behind: %v", err)
	}
	if info.Duration != 4*time.Second {
		t.Fatalf("Info.Duration %v, want 4s", info.Duration)
	}
	st, _ := os.Stat(info.Path)
	if st.Size() != info.Size {
		t.Fatalf("Info.Size %d, file %d", info.Size, st.Size())
	}
	p := ffprobe(t, info.Path)
	if len(p.Streams) != 2 || p.Streams[0].CodecName != "h264" || p.Streams[1].CodecName != "aac" {
		t.Fatalf("streams %+v", p.Streams)
	}
	if d := p.duration(t); math.Abs(d-4) > 0.1 {
		t.Fatalf("ffprobe duration %v, want 4 ± one frame", d)
	}
	checkHeaders(t, info.Path, []float64{4, seconds(m, 2)}, 0.001)
	decodes(t, info.Path)
	if n := frames(t, info.Path); n != 40 {
		t.Fatalf("%d frames, want 40", n)
	}
}

func TestH265TaggedHvc1(t *testing.T) {
	dir := t.TempDir()
	m := clip(t, "libx265", 3, false)
	w := record(t, dir, utcScheme(t), testStart, m, 0)
	info, err := w.Close(endOf(m, 0))
	if err != nil {
		t.Fatal(err)
	}
	p := ffprobe(t, info.Path)
	if len(p.Streams) != 1 || p.Streams[0].CodecName != "hevc" || p.Streams[0].CodecTagString != "hvc1" {
		t.Fatalf("streams %+v", p.Streams)
	}
	if d := p.duration(t); math.Abs(d-3) > 0.1 {
		t.Fatalf("ffprobe duration %v, want 3 ± one frame", d)
	}
	checkHeaders(t, info.Path, []float64{3}, 0.001)
	decodes(t, info.Path)
	if n := frames(t, info.Path); n != 30 {
		t.Fatalf("%d frames, want 30", n)
	}
}

// seconds is how long a track of the clip lasts.
func seconds(m *media, id int) float64 {
	for _, tr := range m.tracks {
		if tr.ID == id {
			return float64(len(m.samples[id])) * float64(m.samples[id][1].dts-m.samples[id][0].dts) / float64(tr.TimeScale)
		}
	}
	return 0
}
