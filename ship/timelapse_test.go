package ship

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/seal"
	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

// A closed day's timelapse goes to its day's folder as
// timelapse-CAMERA.mp4, sealed when the archive is, and is neither
// announced nor counted as a segment; today's, still a temp file, stays.
func TestTimelapseShipsToItsDay(t *testing.T) {
	for _, encrypted := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "sealed"}[encrypted], func(t *testing.T) {
			ctx := setup(t)
			sc := scheme(t)
			srv := rclonetest.S3(t)
			dir := t.TempDir()
			var archive *keys.Archive
			if encrypted {
				var err error
				if archive, err = keys.LoadOrCreate(filepath.Join(t.TempDir(), keys.FileName)); err != nil {
					t.Fatal(err)
				}
			}
			for i := range 2 {
				segment(t, dir, sc, i, 20<<10)
			}
			day := time.Date(base.Year(), base.Month(), base.Day()-1, 0, 0, 0, 0, time.UTC)
			lapse := make([]byte, 30<<10)
			rand.Read(lapse)
			copy(lapse[4:], "ftyp")
			closed := sc.TimelapseLocal(day)
			growing := sc.TempName(sc.TimelapseLocal(day.AddDate(0, 0, 1)))
			for _, n := range []string{closed, growing} {
				if err := os.WriteFile(filepath.Join(dir, n), lapse, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var got []Shipped
			s, err := New(Options{Sources: []Source{{Name: "door", Dir: dir, Dest: open(t, ctx, srv.Remote+"/cam"), Encrypt: archive}},
				Scheme: sc, Once: true, OnShipped: func(_ context.Context, sh Shipped) { got = append(got, sh) }})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Run(ctx); err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || s.Stats().Shipped != 2 {
				t.Fatalf("announced %d, counted %d; want the 2 segments only", len(got), s.Stats().Shipped)
			}
			left, _ := os.ReadDir(dir)
			if len(left) != 1 || left[0].Name() != growing {
				t.Fatalf("left locally: %v; want only today's growing timelapse %s", left, growing)
			}
			remote := sc.TimelapsePath(day, "door")
			if remote != "20240322/timelapse-door.mp4" {
				t.Fatalf("remote name %q", remote)
			}
			b, err := os.ReadFile(filepath.Join(srv.Root, "cam", filepath.FromSlash(remote)))
			if err != nil {
				t.Fatalf("timelapse not on the remote: %v", err)
			}
			switch {
			case encrypted && (!seal.IsSealed(b) || bytes.Contains(b, []byte("ftyp"))):
				t.Fatal("the timelapse reached an encrypted archive in plaintext")
			case !encrypted && !bytes.Equal(b, lapse):
				t.Fatal("the timelapse changed on the way")
			}
		})
	}
}
