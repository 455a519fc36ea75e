package prune

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/layout"
)

// An archive made the hand-made way: ffmpeg's segmenter names the files
// (-strftime 1 %Y%m%dT%H%M%S%z.mp4, local zone) and a script moves each
// into FOLDER/YYYYMMDD/HH/ cut from the name, as `rclone moveto` did.
// prune reads those names with the default scheme.
func TestHandMadeArchive(t *testing.T) {
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Fatal("ffmpeg not installed (./test.sh installs it)")
	}
	rec, root := t.TempDir(), t.TempDir()
	out, err := exec.Command(ffmpeg, "-nostdin", "-v", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10",
		"-t", "3", "-c:v", "mpeg4", "-g", "10", "-f", "segment", "-segment_time", "1", "-reset_timestamps", "1",
		"-strftime", "1", filepath.Join(rec, "%Y%m%dT%H%M%S%z.mp4")).CombinedOutput()
	if err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, out)
	}
	names, err := filepath.Glob(filepath.Join(rec, "*.mp4"))
	if err != nil || len(names) < 2 {
		t.Fatalf("ffmpeg made %d segments: %v", len(names), err)
	}
	for _, p := range names {
		n := filepath.Base(p)
		dir := filepath.Join(root, n[:8], n[9:11])
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(p, filepath.Join(dir, n)); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, root, "index.html", "page")
	f := openLocal(t, root)
	ctx := context.Background()
	later := at(time.Now().Add(48 * time.Hour))

	res, err := Run(ctx, Options{Dest: f, Scheme: layout.Default(), Keep: 3 * day, Now: later})
	if err != nil || res.DeletedFiles != 0 {
		t.Fatalf("keep 3d two days later deleted %d: %v", res.DeletedFiles, err)
	}
	res, err = Run(ctx, Options{Dest: f, Scheme: layout.Default(), Keep: day, Now: later})
	if err != nil {
		t.Fatal(err)
	}
	left, empty := files(t, root)
	if res.DeletedFiles != len(names) || len(left) != 1 || len(empty) != 0 {
		t.Fatalf("keep 1d two days later: deleted %d of %d, left %v, empty %v", res.DeletedFiles, len(names), left, empty)
	}
}
