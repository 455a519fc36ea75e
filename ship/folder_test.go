package ship

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

// TestWaitsForFolder: issue 11 #8, ship started before record exited
// because the folder did not exist yet. It waits, then ships.
func TestWaitsForFolder(t *testing.T) {
	ctx := setup(t)
	sc := scheme(t)
	srv := rclonetest.S3(t)
	dir := filepath.Join(t.TempDir(), "rec")
	_, shipped := running(t, ctx, Options{Sources: []Source{{Dir: dir, Dest: open(t, ctx, srv.Remote+"/cam")}}, Scheme: sc})
	time.Sleep(300 * time.Millisecond)
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	name, data := segment(t, dir, sc, 0, 5000)
	eventually(t, "shipped once the folder appeared", func() bool { return len(shipped.get()) == 1 })
	checkLanded(t, filepath.Join(srv.Root, "cam"), sc, name, data, dir)
}

// TestSecondShipperRefused: issue 11 #10, two shippers on one folder raced
// for each file. The second says who holds the folder and fails.
func TestSecondShipperRefused(t *testing.T) {
	ctx := setup(t)
	sc := scheme(t)
	srv := rclonetest.S3(t)
	dir := t.TempDir()
	dest := open(t, ctx, srv.Remote+"/cam")
	running(t, ctx, Options{Sources: []Source{{Dir: dir, Dest: dest}}, Scheme: sc})
	lock := filepath.Join(dir, lockName)
	eventually(t, "the first shipper holds the folder", func() bool {
		b, _ := os.ReadFile(lock)
		return len(b) > 0
	})
	s, err := New(Options{Sources: []Source{{Dir: dir, Dest: dest}}, Scheme: sc})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Run(ctx)
	if err == nil || !strings.Contains(err.Error(), "already being shipped by camshare pid") {
		t.Fatalf("second shipper: %v", err)
	}
}

// TestJunkSkipped: issue 11 #9. A 0-byte and a 5-byte *.mp4 were uploaded
// as footage; a symlink, an impossible date and "… copy.mp4" were ignored
// silently forever and --once said rc 0. Each is warned about once, none is
// shipped, real segments still go, and --once fails naming them.
func TestJunkSkipped(t *testing.T) {
	ctx := setup(t)
	sc := scheme(t)
	srv := rclonetest.S3(t)
	dir := t.TempDir()
	good, data := segment(t, dir, sc, 0, 5000)
	junk := map[string][]byte{
		sc.Name(base.Add(2 * time.Minute)):             nil,
		sc.Name(base.Add(3 * time.Minute)):             []byte("hello"),
		"20241399T250000+0000.mp4":                     []byte("\x00\x00\x00\x18ftypisom"),
		strings.TrimSuffix(good, ".mp4") + " copy.mp4": []byte("\x00\x00\x00\x18ftypisom"),
	}
	old := time.Now().Add(-time.Hour) // not still being copied in
	for n, b := range junk {
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, old, old)
	}
	link := sc.Name(base.Add(4 * time.Minute))
	if err := os.Symlink(filepath.Join(dir, good), filepath.Join(dir, link)); err != nil {
		t.Fatal(err)
	}
	log, logs := testLogger(t)
	s, err := New(Options{Sources: []Source{{Dir: dir, Dest: open(t, ctx, srv.Remote+"/cam")}}, Scheme: sc, Once: true, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Run(context.WithoutCancel(ctx))
	if err == nil || !strings.Contains(err.Error(), "5 file(s) skipped") {
		t.Errorf("--once with junk: %v, want an error counting 5 skipped", err)
	}
	checkLanded(t, filepath.Join(srv.Root, "cam"), sc, good, data, dir)
	if got := remoteNames(t, filepath.Join(srv.Root, "cam")); len(got) != 1 {
		t.Errorf("remote holds %q, want only %s", got, good)
	}
	if c := strings.Count(logs.String(), "not footage"); c != 5 {
		t.Errorf("%d warnings, want one per junk file (5)", c)
	}
}
