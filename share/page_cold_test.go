package share

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/testkit/browsertest"
)

// A recording in a cold storage tier (prune --cold-after; the index says
// cold) is said to be archived, not playable now, and the next one plays.
// rclone's S3 server has no storage classes, so the test marks one segment
// cold in the share's documents on the server's disk, as share writes them
// for an object in GLACIER (isCold).
func TestPageSaysArchivedAndGoesOn(t *testing.T) {
	everyEngine(t, func(t *testing.T, e browsertest.Engine) {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		a := newPublicS3(t, ctx)
		now := time.Now().UTC().Truncate(time.Second)
		segs := a.add(t, ctx, minutes(now, 3, 2, 1)...)
		p, err := Publish(ctx, Options{Dest: a.f, Scheme: a.s, Window: time.Hour, Title: "Garden", Poll: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		markCold(t, filepath.Join(a.srv.Root, "garden", "share", p.ID), segs[1].Path)
		b := open(t, ctx, e, p.URL)
		if err := b.Eval(ctx, `document.getElementById("day").dispatchEvent(new Event("change"))`, nil); err != nil {
			t.Fatal(err)
		}
		waitPlaying(t, ctx, b, segs[0].Path)
		archived := `document.getElementById("status").textContent.includes("is archived, not playable now")`
		if err := b.WaitFor(ctx, archived, stateJS); err != nil {
			t.Fatalf("no archived sentence for %s: %v", segs[1].Path, err)
		}
		shot(t, ctx, b, "archived-phone.png", browsertest.Phone)
		waitPlaying(t, ctx, b, segs[2].Path)
		var src string
		if err := b.Eval(ctx, `camshare.state().played.join(",")`, &src); err != nil || !strings.Contains(src, segs[1].Path) {
			t.Errorf("played %q (%v): the cold one was not reached in order", src, err)
		}
	})
}

// markCold adds "cold":true to segment path in every document of a
// share's folder (the page's embedded index, latest, the day documents).
func markCold(t *testing.T, dir, path string) {
	t.Helper()
	needle := []byte(`"path":"` + path + `"`)
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, RecordName) {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil || !bytes.Contains(b, needle) {
			return err
		}
		n++
		return os.WriteFile(p, bytes.ReplaceAll(b, needle, append(append([]byte{}, needle...), []byte(`,"cold":true`)...)), 0o644)
	})
	if err != nil || n == 0 {
		t.Fatalf("marking %s cold in %s: %d documents (%v)", path, dir, n, err)
	}
}
