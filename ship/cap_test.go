package ship

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

// TestCapWaitsForTheRemote: issue 11 #1. With the remote up, --min-free and
// --max-local deleted unshipped footage before an upload was even tried
// (11 closed, 10 deleted, 1 shipped). The cap is for footage that cannot
// leave: here every segment can, so every one is shipped and none dropped,
// with --once and while running.
func TestCapWaitsForTheRemote(t *testing.T) {
	fastBackoff(t)
	ctx := setup(t)
	sc := scheme(t)
	srv := rclonetest.S3(t)
	const size = 10 << 10
	for _, tc := range []struct {
		name string
		o    Options
	}{
		{"once min-free", Options{Once: true, MinFree: 1 << 62}},
		{"once max-local", Options{Once: true, MaxLocal: 3 * size}},
		{"running min-free", Options{MinFree: 1 << 62}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			dest := open(t, ctx, srv.Remote+"/"+tc.name)
			want := map[string][]byte{}
			for i := range 11 {
				n, data := segment(t, dir, sc, i, size)
				want[n] = data
			}
			o := tc.o
			o.Sources, o.Scheme = []Source{{Dir: dir, Dest: dest}}, sc
			var st Stats
			if o.Once {
				log, _ := testLogger(t)
				o.Log = log
				s, err := New(o)
				if err != nil {
					t.Fatal(err)
				}
				if err := s.Run(context.WithoutCancel(ctx)); err != nil {
					t.Fatal(err)
				}
				st = s.Stats()
			} else {
				s, shipped := running(t, ctx, o)
				eventually(t, "all shipped", func() bool { return len(shipped.get()) == 11 || s.Stats().Dropped > 0 })
				st = s.Stats()
			}
			if st.Dropped != 0 || st.Shipped != 11 {
				t.Fatalf("stats %+v, want 11 shipped, none dropped", st)
			}
			for n, data := range want {
				checkLanded(t, filepath.Join(srv.Root, tc.name), sc, n, data, dir)
			}
		})
	}
}
