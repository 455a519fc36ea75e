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

	_ "github.com/rclone/rclone/backend/local"
	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

const day = 24 * time.Hour

// at returns a fixed clock.
func at(t time.Time) func() time.Time { return func() time.Time { return t } }

func openLocal(t testing.TB, root string) fs.Fs {
	t.Helper()
	f, err := fs.NewFs(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// strays are files prune must never delete, wherever they sit.
var strays = []string{
	"index.html",
	"index.json",
	"20240301/notes.txt",    // in an old day: that day must not be purged
	"20240302/07/notes.txt", // in an old hour
}

// checkKeep30d checks a 40-day archive after --keep 30d with the clock at
// day 40 07:23: the cut-off is 2024-03-11 07:23, so 07:20 goes and 07:25
// stays.
func checkKeep30d(t *testing.T, root string, segs []string, res Result) {
	t.Helper()
	s := utc(t)
	cut := time.Date(2024, 3, 11, 7, 23, 0, 0, time.UTC)
	want := append(newer(t, s, segs, cut), strays...)
	got, empty := files(t, root)
	sameSet(t, "after --keep 30d", got, want)
	if len(empty) > 0 {
		t.Fatalf("empty folders left behind: %v", empty)
	}
	for _, p := range []string{"20240311/07/20240311T072500+0000.mp4", "20240311/06/20240311T065500+0000.mp4"} {
		if _, err := os.Stat(filepath.Join(root, p)); (err == nil) != strings.Contains(p, "0725") {
			t.Errorf("%s: stat err %v", p, err)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "20240311/07/20240311T072000+0000.mp4")); !os.IsNotExist(err) {
		t.Errorf("07:20 on the boundary day survived: %v", err)
	}
	deleted := len(segs) - len(want) + len(strays)
	if res.DeletedFiles != deleted || res.DeletedBytes != int64(deleted)*int64(len("segment")) {
		t.Errorf("result %d files %d bytes, want %d files", res.DeletedFiles, res.DeletedBytes, deleted)
	}
	if res.Days != 11 || !res.Oldest.Equal(archiveStart) || !res.Newest.Equal(cut.Add(-3*time.Minute)) {
		t.Errorf("result days %d oldest %v newest %v", res.Days, res.Oldest, res.Newest)
	}
}

func TestKeep30dLocal(t *testing.T) {
	root := t.TempDir()
	s := utc(t)
	segs := seed(t, root, s, 40, 288)
	for _, p := range strays {
		writeFile(t, root, p, "keep me")
	}
	now := archiveStart.Add(40*day + 7*time.Hour + 23*time.Minute)
	c := rclonetest.Count(openLocal(t, root))
	res, err := Run(context.Background(), Options{Dest: c, Scheme: s, Keep: 30 * day, Segment: 5 * time.Minute, Now: at(now)})
	if err != nil {
		t.Fatal(err)
	}
	checkKeep30d(t, root, segs, res)

	// Cost: the root, then only the 11 days that can hold footage older
	// than the cut-off, one List per folder (local has no recursive
	// listing): bounded by days × (1 + 24 hours), not by 11520 files.
	if n := c.Lists(); n > 1+11*25 {
		t.Errorf("%d list calls, want at most %d", n, 1+11*25)
	}
	for _, d := range c.Listed() {
		if d != "" && d[:8] > "20240311" {
			t.Errorf("listed %q, a day wholly inside retention", d)
		}
	}

	// A second run finds nothing to do and changes nothing.
	res, err = Run(context.Background(), Options{Dest: c, Scheme: s, Keep: 30 * day, Now: at(now)})
	if err != nil || res.DeletedFiles != 0 || len(res.Failed) != 0 {
		t.Fatalf("second run: %+v, %v", res, err)
	}
	checkKeep30d(t, root, segs, Result{DeletedFiles: len(segs) - len(newer(t, s, segs, now.Add(-30*day))),
		DeletedBytes: int64(len(segs)-len(newer(t, s, segs, now.Add(-30*day)))) * 7, Days: 11,
		Oldest: archiveStart, Newest: now.Add(-30*day - 3*time.Minute)})
}

func TestDryRunDeletesNothing(t *testing.T) {
	root := t.TempDir()
	s := utc(t)
	segs := seed(t, root, s, 12, 288)
	writeFile(t, root, "index.html", "page")
	before, _ := files(t, root)
	now := archiveStart.Add(12*day + 12*time.Hour)
	res, err := Run(context.Background(), Options{Dest: openLocal(t, root), Scheme: s, Keep: 2 * day, DryRun: true, Now: at(now)})
	if err != nil {
		t.Fatal(err)
	}
	after, _ := files(t, root)
	sameSet(t, "after --dry-run", after, before)
	would := len(segs) - len(newer(t, s, segs, now.Add(-2*day)))
	if !res.DryRun || res.DeletedFiles != would || res.DeletedBytes != int64(would)*7 || res.Days != 11 {
		t.Fatalf("dry run result %+v, want %d files over 11 days", res, would)
	}
	if !res.Oldest.Equal(archiveStart) || !res.Newest.Equal(now.Add(-2*day-5*time.Minute)) {
		t.Fatalf("dry run oldest %v newest %v", res.Oldest, res.Newest)
	}
}

// A camera that was off for a month keeps its last footage.
func TestMinKeep(t *testing.T) {
	root := t.TempDir()
	s := utc(t)
	segs := seed(t, root, s, 3, 288)
	now := archiveStart.Add(60 * day)
	res, err := Run(context.Background(), Options{Dest: openLocal(t, root), Scheme: s, Keep: 30 * day, MinKeep: 10, Now: at(now)})
	if err != nil {
		t.Fatal(err)
	}
	got, empty := files(t, root)
	sameSet(t, "after --min-keep 10", got, segs[len(segs)-10:])
	if res.DeletedFiles != len(segs)-10 || len(empty) != 0 {
		t.Fatalf("deleted %d, empty folders %v", res.DeletedFiles, empty)
	}
}

func TestMaxSize(t *testing.T) {
	root := t.TempDir()
	s := utc(t)
	segs := seed(t, root, s, 3, 288)
	writeFile(t, root, "index.html", "a page that is not counted")
	// Room for one day of 7-byte segments and a bit: the two older days go.
	res, err := Run(context.Background(), Options{Dest: openLocal(t, root), Scheme: s, MaxSize: 288*7 + 3, Now: at(archiveStart.Add(3 * day))})
	if err != nil {
		t.Fatal(err)
	}
	got, empty := files(t, root)
	sameSet(t, "after --max-size", got, append(segs[2*288:], "index.html"))
	if res.DeletedFiles != 2*288 || res.DeletedBytes != 2*288*7 || res.Days != 2 || len(empty) != 0 {
		t.Fatalf("result %+v, empty folders %v", res, empty)
	}
	// With --min-keep above what the cap allows, the minimum wins.
	res, err = Run(context.Background(), Options{Dest: openLocal(t, root), Scheme: s, MaxSize: 1, MinKeep: 100})
	if err != nil || res.DeletedFiles != 188 {
		t.Fatalf("cap 1 byte, min-keep 100: %+v, %v", res, err)
	}
	got, _ = files(t, root)
	sameSet(t, "after --max-size 1 --min-keep 100", got, append(segs[len(segs)-100:], "index.html"))
}

// A torn archive: hours missing, names that do not parse, footage at the
// wrong depth or in folders that are not the layout's, empty folders.
// Only the segments in their place go; nothing else is touched.
func TestTornLayout(t *testing.T) {
	root := t.TempDir()
	s := utc(t)
	segs := seed(t, root, s, 5, 288)
	for h := 5; h < 10; h++ {
		if err := os.RemoveAll(filepath.Join(root, "20240302", twoDigits(h))); err != nil {
			t.Fatal(err)
		}
	}
	kept := []string{
		"20240301/10/garbage.mp4",
		"20240301/10/20240301T100000+0000.mp4.part",
		"20240301/10/20240301T103000+0000.tmp",
		"20240301/20240301T000000+0000.mp4",    // a segment at the wrong depth
		"20240303/thumbs/a.jpg",                // a folder that is not an hour
		"20240303/99/20240303T000000+0000.mp4", // hour 99 does not parse
		"misc/20240301T000000+0000.mp4",        // not a day folder
		"20240304/10/sub/20240304T100000+0000.mp4",
	}
	for _, p := range kept {
		writeFile(t, root, p, "x")
	}
	for _, d := range []string{"20240306/03", "20240305/23", "20240303/empty"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var want []string
	for _, p := range segs {
		if !strings.HasPrefix(p, "20240302/0") || p[9:11] < "05" {
			want = append(want, p)
		}
	}
	res, err := Run(context.Background(), Options{Dest: openLocal(t, root), Scheme: s, Keep: 30 * day, Now: at(archiveStart.Add(40 * day))})
	if err != nil {
		t.Fatal(err)
	}
	got, empty := files(t, root)
	sameSet(t, "torn layout", got, kept)
	if res.DeletedFiles != len(want) {
		t.Errorf("deleted %d, want %d", res.DeletedFiles, len(want))
	}
	// The empty layout folders went (20240306 with its hour); the empty
	// folder that is not ours stays.
	if strings.Join(empty, ",") != "20240303/empty" {
		t.Errorf("empty folders left: %v", empty)
	}
}

// Names written in other zones (the phone travelled, or DST) are read
// exactly: a segment a minute before the cut-off goes, a minute after
// stays, whatever day folder its own zone put it in.
func TestZonesInNames(t *testing.T) {
	root := t.TempDir()
	s := utc(t)
	cut := time.Date(2024, 3, 10, 2, 0, 0, 0, time.UTC)
	var old, young []string
	for _, off := range []int{-12, -5, 0, 9, 14} {
		z := time.FixedZone("", off*3600)
		for _, d := range []time.Duration{-time.Minute, time.Minute} {
			tm := cut.Add(d).In(z)
			name := tm.Format("20060102T150405-0700") + ".mp4"
			rel := path.Join(tm.Format("20060102/15"), name)
			writeFile(t, root, rel, "x")
			if d < 0 {
				old = append(old, rel)
			} else {
				young = append(young, rel)
			}
		}
	}
	res, err := Run(context.Background(), Options{Dest: openLocal(t, root), Scheme: s, Keep: day, Now: at(cut.Add(day))})
	if err != nil {
		t.Fatal(err)
	}
	got, empty := files(t, root)
	sameSet(t, "mixed zones", got, young)
	if res.DeletedFiles != len(old) || len(empty) != 0 {
		t.Fatalf("deleted %d want %d; empty %v", res.DeletedFiles, len(old), empty)
	}
}

// A flat local folder (no date folders): segments beside .tmp files and
// other things, which stay; subfolders are not entered.
func TestFlatLocal(t *testing.T) {
	root := t.TempDir()
	s, err := layout.New(layout.DefaultName, "", true)
	if err != nil {
		t.Fatal(err)
	}
	segs := seed(t, root, s, 3, 288)
	kept := []string{"20240303T235500+0000.tmp", "notes.txt", "old/20240301T000000+0000.mp4"}
	for _, p := range kept {
		writeFile(t, root, p, "x")
	}
	c := rclonetest.Count(openLocal(t, root))
	res, err := Run(context.Background(), Options{Dest: c, Scheme: s, Keep: 2 * day, Now: at(archiveStart.Add(3*day + time.Hour))})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := files(t, root)
	sameSet(t, "flat", got, append(newer(t, s, segs, archiveStart.Add(day+time.Hour)), kept...))
	if res.DeletedFiles != 288+12 || c.Lists() != 1 {
		t.Fatalf("deleted %d, %d lists", res.DeletedFiles, c.Lists())
	}
}

// failRemove is the local backend with one object that cannot be
// deleted, standing in for a permission error on a remote.
type failRemove struct {
	fs.Fs
	bad string
}

type stuck struct{ fs.Object }

func (stuck) Remove(context.Context) error { return errors.New("permission denied") }

func (f failRemove) List(ctx context.Context, dir string) (fs.DirEntries, error) {
	entries, err := f.Fs.List(ctx, dir)
	for i, e := range entries {
		if o, ok := e.(fs.Object); ok && o.Remote() == f.bad {
			entries[i] = stuck{o}
		}
	}
	return entries, err
}

func TestFailedDeleteIsNamed(t *testing.T) {
	root := t.TempDir()
	s := utc(t)
	seed(t, root, s, 3, 288)
	bad := "20240302/10/20240302T100000+0000.mp4"
	f := failRemove{Fs: openLocal(t, root), bad: bad}
	res, err := Run(context.Background(), Options{Dest: f, Scheme: s, Keep: day, Now: at(archiveStart.Add(2*day + 12*time.Hour))})
	if err == nil || !strings.Contains(err.Error(), bad) {
		t.Fatalf("error %v does not name %s", err, bad)
	}
	if len(res.Failed) != 1 || res.Failed[0] != bad || res.DeletedFiles != 288+144-1 {
		t.Fatalf("result %+v", res)
	}
	got, empty := files(t, root)
	if len(empty) != 0 || got[0] != bad {
		t.Fatalf("left %v…, empty %v", got[:3], empty)
	}
}

func TestKeepBelowSegmentNeedsForce(t *testing.T) {
	o := Options{Dest: openLocal(t, t.TempDir()), Keep: time.Minute, Segment: 5 * time.Minute}
	if _, err := Run(context.Background(), o); !errors.Is(err, ErrKeepTooShort) {
		t.Fatalf("keep 1m with 5m segments: %v", err)
	}
	o.Force = true
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatalf("with force: %v", err)
	}
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }
