package prune

import (
	"context"
	"errors"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/sidecar"
	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

// seedSidecars writes a sidecar beside every segment; active(i) says
// whether the i-th (oldest first) saw activity. Returns the sidecar paths.
func seedSidecars(t *testing.T, root string, s *layout.Scheme, segs []string, active func(i int) bool) []string {
	t.Helper()
	var out []string
	for i, p := range segs {
		start, _ := s.SegmentAt(p)
		m := &sidecar.Meta{Version: sidecar.Version, Segment: path.Base(p), Start: start, Duration: 300, Video: "h264"}
		var secs []sidecar.Second
		if active(i) {
			secs = []sidecar.Second{{At: start.Add(42 * time.Second), Score: 2.5, Active: true}}
		}
		m.Summarize(secs)
		sc := s.Sidecar(p)
		if err := m.WriteFile(filepath.Join(root, filepath.FromSlash(sc))); err != nil {
			t.Fatal(err)
		}
		out = append(out, sc)
	}
	return out
}

// --keep 7d --keep-active 30d on a 40-day archive with sidecars: everything
// of the last 7 days stays, of the 23 days before it exactly the active
// segments (with their sidecars), nothing older; sidecars go with their
// segments, timelapses with their day, strays stay.
func TestKeepActive(t *testing.T) {
	root := t.TempDir()
	s := utc(t)
	segs := seed(t, root, s, 40, 24)
	isActive := func(i int) bool { return i%7 == 3 }
	cars := seedSidecars(t, root, s, segs, isActive)
	for _, p := range strays {
		writeFile(t, root, p, "keep me")
	}
	lapses := []string{s.TimelapsePath(archiveStart.Add(5*day), "door"), s.TimelapsePath(archiveStart.Add(20*day), "door"), s.TimelapsePath(archiveStart.Add(35*day), "door")}
	for _, p := range lapses {
		writeFile(t, root, p, "timelapse")
	}
	now := archiveStart.Add(40*day + 7*time.Hour + 23*time.Minute)
	short, long := now.Add(-7*day), now.Add(-30*day)

	res, err := Run(context.Background(), Options{Dest: openLocal(t, root), Scheme: s, Keep: 7 * day, KeepActive: 30 * day, Now: at(now)})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	kept := 0
	for i, p := range segs {
		start, _ := s.SegmentAt(p)
		if !start.Before(short) || (!start.Before(long) && isActive(i)) {
			want = append(want, p, cars[i])
			if start.Before(short) {
				kept++
			}
		}
	}
	want = append(want, strays...)
	want = append(want, lapses[1:]...) // day 5 is past 30 days; day 20 is within the longer cut
	got, empty := files(t, root)
	sameSet(t, "after --keep 7d --keep-active 30d", got, want)
	if len(empty) > 0 {
		t.Fatalf("empty folders left: %v", empty)
	}
	if res.KeptActive != kept || kept == 0 {
		t.Fatalf("kept for activity: %d, want %d", res.KeptActive, kept)
	}
	t.Logf("%d segments deleted, %d kept past 7 days for their activity", res.DeletedFiles, res.KeptActive)
}

// A segment past the short cut without a sidecar is kept: unknown is not
// "nothing happened".
func TestKeepActiveKeepsUnknown(t *testing.T) {
	root := t.TempDir()
	s := utc(t)
	segs := seed(t, root, s, 3, 2)
	now := archiveStart.Add(3 * day)
	res, err := Run(context.Background(), Options{Dest: openLocal(t, root), Scheme: s, Keep: day, KeepActive: 10 * day, Now: at(now)})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := files(t, root)
	sameSet(t, "no sidecars", got, segs)
	if res.DeletedFiles != 0 || res.KeptActive != 4 {
		t.Fatalf("%+v", res)
	}
}

// --cold-after on a backend without storage classes is one clear sentence,
// before anything is listed or deleted.
func TestColdAfterLocalRefused(t *testing.T) {
	root := t.TempDir()
	segs := seed(t, root, utc(t), 2, 2)
	_, err := Run(context.Background(), Options{Dest: openLocal(t, root), Scheme: utc(t), Keep: day, ColdAfter: day, Now: at(archiveStart.Add(3 * day))})
	if !errors.Is(err, ErrNoTiers) {
		t.Fatalf("err = %v", err)
	}
	t.Logf("camshare: prune: %v", err)
	got, _ := files(t, root)
	sameSet(t, "refused cold run", got, segs)
}

// --cold-after on rclone's S3 server: every kept segment past the cut is
// moved to the class (one copy onto itself each, its bytes unchanged),
// younger ones and sidecars are not touched. The server accepts a storage
// class and ignores it (it lists every object as STANDARD), so a second run
// moves them again; on S3 the listing shows GLACIER and they are skipped.
func TestColdAfterS3(t *testing.T) {
	srv := rclonetest.S3(t)
	s := utc(t)
	segs := seed(t, srv.Root, s, 10, 4)
	seedSidecars(t, srv.Root, s, segs, func(int) bool { return false })
	ctx := context.Background()
	// The same server as AWS: rclone offers storage classes only for
	// providers that have them.
	f, err := fs.NewFs(ctx, strings.Replace(srv.Remote, "provider=Rclone", "provider=AWS", 1))
	if err != nil {
		t.Fatal(err)
	}
	now := archiveStart.Add(10 * day)
	res, err := Run(ctx, Options{Dest: f, Scheme: s, ColdAfter: 7 * day, Now: at(now)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Cold != 3*4 || res.ColdTier != "GLACIER" || res.DeletedFiles != 0 {
		t.Fatalf("cold run: %+v; want 12 segments moved to GLACIER, none deleted", res)
	}
	got, _ := files(t, srv.Root)
	if len(got) != 2*len(segs) {
		t.Fatalf("%d files after the cold run, want %d", len(got), 2*len(segs))
	}
	for _, p := range segs {
		b, err := os.ReadFile(filepath.Join(srv.Root, filepath.FromSlash(p)))
		if err != nil || string(b) != "segment" {
			t.Fatalf("%s after the cold run: %q %v", p, b, err)
		}
	}
	if _, err := Run(ctx, Options{Dest: f, Scheme: s, ColdAfter: 7 * day, Tier: "DEEP_ARCHIVE", DryRun: true, Now: at(now)}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ErrNoTiers.Error(), "Azure Blob") {
		t.Fatal("the refusal names the backends that have classes")
	}
}
