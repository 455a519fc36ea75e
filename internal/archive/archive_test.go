package archive

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/rclone/rclone/backend/local"
	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/layout"
)

// seed writes a 3-day archive of 5-minute segments, plus strays that must
// never be taken for footage.
func seed(t *testing.T, s *layout.Scheme, start time.Time, n int) string {
	t.Helper()
	root := t.TempDir()
	for i := 0; i < n; i++ {
		at := start.Add(time.Duration(i) * 5 * time.Minute)
		p, err := s.RemotePath(s.Name(at))
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(root, p), "x")
	}
	write(t, filepath.Join(root, "index.html"), "page")
	write(t, filepath.Join(root, "notes"), "n")
	day := s.Dir(start)[:8]
	write(t, filepath.Join(root, day, "notes.txt"), "n")
	write(t, filepath.Join(root, day, s.Name(start)), "misplaced: not at full depth")
	return root
}

func write(t *testing.T, p, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSegmentsByTime(t *testing.T) {
	s, _ := layout.New(layout.DefaultName, layout.DefaultDir, true)
	start := time.Date(2024, 3, 21, 0, 0, 0, 0, time.UTC)
	root := seed(t, s, start, 3*288)
	ctx := context.Background()
	f, err := fs.NewFs(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2024, 3, 22, 10, 0, 0, 0, time.UTC)
	to := from.Add(time.Hour)
	segs, err := Segments(ctx, f, s, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(segs) != 12 {
		t.Fatalf("got %d segments in one hour, want 12", len(segs))
	}
	if !segs[0].Start.Equal(from) || segs[0].Path != "20240322/10/20240322T100000+0000.mp4" {
		t.Fatalf("first = %+v", segs[0])
	}
	all, err := SegmentsIn(ctx, f, s, "")
	if err != nil || len(all) != 3*288 {
		t.Fatalf("all = %d, %v", len(all), err)
	}
	day, err := SegmentsIn(ctx, f, s, "20240323")
	if err != nil || len(day) != 288 {
		t.Fatalf("day = %d, %v", len(day), err)
	}
	folders, err := Folders(ctx, f, s, "")
	if err != nil || len(folders) != 3 || folders[0].Path != "20240321" {
		t.Fatalf("folders = %+v, %v", folders, err)
	}
	empty, err := fs.NewFs(ctx, filepath.Join(t.TempDir(), "none"))
	if err != nil {
		t.Fatal(err)
	}
	if segs, err := Segments(ctx, empty, s, from, to); err != nil || len(segs) != 0 {
		t.Fatalf("missing archive: %v %v", segs, err)
	}
}

// List finds each day's timelapse in the day folders it lists for the
// segments, only for the days the range touches, and never as a segment.
func TestListFindsTimelapses(t *testing.T) {
	s, _ := layout.New(layout.DefaultName, layout.DefaultDir, true)
	start := time.Date(2024, 3, 21, 0, 0, 0, 0, time.UTC)
	root := seed(t, s, start, 3*288)
	for d := 0; d < 3; d++ {
		write(t, filepath.Join(root, s.TimelapsePath(start.AddDate(0, 0, d), "door")), "lapse")
	}
	ctx := context.Background()
	f, err := fs.NewFs(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2024, 3, 22, 23, 0, 0, 0, time.UTC)
	l, err := List(ctx, f, s, from, from.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Segments) != 24 {
		t.Errorf("%d segments, want 24", len(l.Segments))
	}
	var got []string
	for _, tl := range l.Timelapses {
		got = append(got, tl.Path+"@"+tl.Day.Format("20060102"))
		if tl.Size != 5 {
			t.Errorf("%s: size %d", tl.Path, tl.Size)
		}
	}
	want := "[20240322/timelapse-door.mp4@20240322 20240323/timelapse-door.mp4@20240323]"
	if fmt.Sprint(got) != want {
		t.Errorf("timelapses %v, want %s", got, want)
	}
}
