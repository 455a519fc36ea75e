package record

import (
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/sidecar"
	"github.com/camshare/camshare/internal/testcam"
)

// Every closed segment has its sidecar beside it, written before the
// segment was published (so a shipper that sees the segment finds it), and
// the sidecar describes the segment as recorded.
func TestSidecars(t *testing.T) {
	cam := startCam(t, testcam.Options{Fixture: "h265_pcma"})
	dir := t.TempDir()
	s := utcScheme(t)
	r := startRecorder(t, Options{URL: cam.URL(), Dir: dir, Segment: 2 * time.Second, Scheme: s, Camera: "door"})
	// A segment seen in the folder already has its sidecar.
	var early []string
	waitFor(t, 60*time.Second, "3 segments", func() bool {
		mp4s := files(t, dir, ".mp4")
		for _, p := range mp4s {
			if _, err := os.Stat(filepath.Join(dir, s.Sidecar(filepath.Base(p)))); err != nil {
				early = append(early, p)
			}
		}
		return len(mp4s) >= 3
	})
	if err := r.stop(t); err != nil {
		t.Fatal(err)
	}
	if len(early) > 0 {
		t.Errorf("segments in the folder before their sidecar: %v", early)
	}
	mp4s := files(t, dir, ".mp4")
	for _, name := range mp4s {
		base := filepath.Base(name)
		f, err := os.Open(filepath.Join(dir, s.Sidecar(base)))
		if err != nil {
			t.Fatalf("no sidecar for %s: %v", base, err)
		}
		m, err := sidecar.Read(f, nil)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		st, _ := os.Stat(filepath.Join(dir, base))
		dur := probe(t, filepath.Join(dir, base))["video"].dur()
		start, _ := s.Time(base)
		if m.Segment != base || m.Camera != "door" || m.Video != "h265" || m.Audio != "aac" || m.Size != st.Size() ||
			!m.Start.Truncate(time.Second).Equal(start) || math.Abs(m.Duration-dur) > 0.15 || len(m.Activity) != 1 {
			t.Errorf("%s: sidecar %+v; file %d bytes, %.2f s, start %v", base, m, st.Size(), dur, start)
		}
	}
	if len(files(t, dir, ".json")) != len(mp4s) {
		t.Errorf("%d sidecars for %d segments", len(files(t, dir, ".json")), len(mp4s))
	}
}

// NoActivity writes no sidecars.
func TestNoActivityNoSidecars(t *testing.T) {
	cam := startCam(t, testcam.Options{Fixture: "h264"})
	dir := t.TempDir()
	r := startRecorder(t, Options{URL: cam.URL(), Dir: dir, Segment: 2 * time.Second, Scheme: utcScheme(t), NoActivity: true})
	waitFor(t, 60*time.Second, "2 segments", func() bool { return len(files(t, dir, ".mp4")) >= 2 })
	if err := r.stop(t); err != nil {
		t.Fatal(err)
	}
	if j := files(t, dir, ".json"); len(j) > 0 {
		t.Fatalf("sidecars with NoActivity: %v", j)
	}
}
