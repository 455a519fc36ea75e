package ship

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/backoff"
	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

func fastBackoff(t *testing.T) {
	old := retryPolicy
	retryPolicy = backoff.Policy{Probe: 100 * time.Millisecond, Min: 50 * time.Millisecond, Max: 300 * time.Millisecond}
	t.Cleanup(func() { retryPolicy = old })
}

// remoteNames lists every file below root, relative, sorted.
func remoteNames(t *testing.T, root string) []string {
	var out []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// Outage: the S3 server goes away while segments keep coming, then comes
// back on the same address. Everything arrives, in order, once; the log has
// one line for the start of the outage and one for its end.
func TestOutage(t *testing.T) {
	fastBackoff(t)
	ctx := setup(t)
	sc := scheme(t)
	srv := rclonetest.S3(t)
	dir := t.TempDir()
	log, logs := testLogger(t)
	s, shipped := running(t, ctx, Options{
		Sources: []Source{{Name: "cam", Dir: dir, Dest: open(t, ctx, srv.Remote+"/cam")}},
		Scheme:  sc, Log: log,
	})
	want := map[string][]byte{}
	var order []string
	add := func(i int) {
		n, data := segment(t, dir, sc, i, 20<<10)
		want[n], order = data, append(order, n)
	}
	add(0)
	eventually(t, "first segment", func() bool { return len(shipped.get()) == 1 })

	srv.Stop()
	for i := 1; i <= 6; i++ {
		add(i)
		time.Sleep(200 * time.Millisecond) // several failed attempts per segment
	}
	eventually(t, "outage noticed", func() bool { return s.Stats().Outage })
	if st := s.Stats(); st.Queued != 6 || st.Oldest != order[1] {
		t.Fatalf("during the outage: %+v, want 6 queued, oldest %s", st, order[1])
	}
	if n := len(shipped.get()); n != 1 {
		t.Fatalf("%d shipped with the server down", n)
	}
	srv.Start()
	eventually(t, "the queue after the outage", func() bool { return len(shipped.get()) == 7 })

	for i, sh := range shipped.get() {
		if filepath.Base(sh.Local) != order[i] {
			t.Errorf("shipped #%d is %s, want %s", i, filepath.Base(sh.Local), order[i])
		}
	}
	got := remoteNames(t, filepath.Join(srv.Root, "cam"))
	if len(got) != 7 {
		t.Errorf("remote holds %d files, want 7: %q", len(got), got)
	}
	for n, data := range want {
		checkLanded(t, filepath.Join(srv.Root, "cam"), sc, n, data, dir)
	}
	text := logs.String()
	if c := strings.Count(text, "remote failing"); c != 1 {
		t.Errorf("%d outage-start lines, want 1", c)
	}
	if c := strings.Count(text, "remote back"); c != 1 {
		t.Errorf("%d outage-end lines, want 1", c)
	}
	if st := s.Stats(); st.Outage || st.Queued != 0 || st.Shipped != 7 || st.Dropped != 0 {
		t.Errorf("after: %+v", st)
	}
}

// localBytes is what closed segments take up in dir.
func localBytes(t *testing.T, dir string) (n int64, names []string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".mp4") {
			info, err := e.Info()
			if err == nil {
				n += info.Size()
				names = append(names, e.Name())
			}
		}
	}
	return n, names
}

// Cap: with the remote down and --max-local small, the oldest segments are
// deleted (and counted) so local usage stays within the cap; the newest are
// kept.
func TestMaxLocalDuringOutage(t *testing.T) {
	fastBackoff(t)
	ctx := setup(t)
	sc := scheme(t)
	srv := rclonetest.S3(t)
	dest := open(t, ctx, srv.Remote+"/cam")
	srv.Stop()
	dir := t.TempDir()
	const size, limit = 10 << 10, 35 << 10 // room for three
	s, _ := running(t, ctx, Options{
		Sources:  []Source{{Dir: dir, Dest: dest}},
		Scheme:   sc,
		MaxLocal: limit,
	})
	var made []string
	for i := range 10 {
		n, _ := segment(t, dir, sc, i, size)
		made = append(made, n)
		eventually(t, "local usage within the cap", func() bool {
			b, _ := localBytes(t, dir)
			return b <= limit
		})
	}
	_, kept := localBytes(t, dir)
	if strings.Join(kept, ",") != strings.Join(made[7:], ",") {
		t.Errorf("kept %q, want the newest three %q", kept, made[7:])
	}
	if st := s.Stats(); st.Dropped != 7 || st.Queued != 3 || st.QueuedBytes != 3*size {
		t.Errorf("stats %+v, want 7 dropped, 3 queued", st)
	}
}

// A phone boots before its network: the shipper opens the remote and starts
// with the S3 server down, and ships once it is up.
func TestStartsWithRemoteDown(t *testing.T) {
	fastBackoff(t)
	ctx := setup(t)
	sc := scheme(t)
	srv := rclonetest.S3(t)
	srv.Stop()
	dest, err := remote.Open(ctx, srv.Remote+"/cam")
	if err != nil {
		t.Fatalf("OpenDest with the server down: %v", err)
	}
	dir := t.TempDir()
	name, data := segment(t, dir, sc, 0, 5000)
	s, shipped := running(t, ctx, Options{Sources: []Source{{Dir: dir, Dest: dest}}, Scheme: sc})
	eventually(t, "outage noticed", func() bool { return s.Stats().Outage })
	srv.Start()
	eventually(t, "shipped after the server came up", func() bool { return len(shipped.get()) == 1 })
	checkLanded(t, filepath.Join(srv.Root, "cam"), sc, name, data, dir)
}

// --min-free: with the remote down and less free disk than asked for, the
// waiting segments go, oldest first, counted. (Asking for more than any
// disk has makes every one of them go.)
func TestMinFreeDuringOutage(t *testing.T) {
	fastBackoff(t)
	ctx := setup(t)
	sc := scheme(t)
	srv := rclonetest.S3(t)
	dest := open(t, ctx, srv.Remote+"/cam")
	srv.Stop()
	dir := t.TempDir()
	for i := range 3 {
		segment(t, dir, sc, i, 1000)
	}
	s, _ := running(t, ctx, Options{Sources: []Source{{Dir: dir, Dest: dest}}, Scheme: sc, MinFree: 1 << 62})
	eventually(t, "all three dropped", func() bool { return s.Stats().Dropped == 3 })
	if _, names := localBytes(t, dir); len(names) != 0 {
		t.Fatalf("still local: %q", names)
	}
}
