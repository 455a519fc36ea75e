package ship

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/seal"
	"github.com/camshare/camshare/internal/sidecar"
	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

// writeSidecar writes NAME.json beside a segment in dir, active or not.
func writeSidecar(t *testing.T, dir string, sc *layout.Scheme, name string, active bool) []byte {
	t.Helper()
	start, _ := sc.Time(name)
	m := &sidecar.Meta{Version: sidecar.Version, Segment: name, Start: start, Duration: 60, Video: "h264"}
	var secs []sidecar.Second
	if active {
		secs = []sidecar.Second{{At: start.Add(5 * time.Second), Score: 3, Active: true}}
	}
	m.Summarize(secs)
	p := filepath.Join(dir, sc.Sidecar(name))
	if err := m.WriteFile(p); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	return b
}

// Sidecars land beside their segments (before them), sealed when the
// archive is; one whose segment already left is shipped on its own; no
// sidecar is announced or counted as a segment.
func TestSidecarsShipWithSegments(t *testing.T) {
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
			want := map[string][]byte{}
			for i := range 3 {
				n, _ := segment(t, dir, sc, i, 20<<10)
				want[sc.Sidecar(n)] = writeSidecar(t, dir, sc, n, i == 1)
			}
			// An orphan: its segment shipped in an earlier run.
			orphan := sc.Name(base.Add(time.Hour))
			want[sc.Sidecar(orphan)] = writeSidecar(t, dir, sc, orphan, false)
			var got []Shipped
			s, err := New(Options{Sources: []Source{{Dir: dir, Dest: open(t, ctx, srv.Remote+"/cam"), Encrypt: archive}},
				Scheme: sc, Once: true, OnShipped: func(_ context.Context, sh Shipped) { got = append(got, sh) }})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Run(ctx); err != nil {
				t.Fatal(err)
			}
			if len(got) != 3 || s.Stats().Shipped != 3 {
				t.Fatalf("announced %d, counted %d; want the 3 segments only", len(got), s.Stats().Shipped)
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Fatalf("left locally: %v", left)
			}
			for name, plain := range want {
				seg, _ := sc.SidecarOf(name)
				p, _ := sc.RemotePath(seg)
				b, err := os.ReadFile(filepath.Join(srv.Root, "cam", filepath.FromSlash(sc.Sidecar(p))))
				if err != nil {
					t.Fatalf("sidecar %s not on the remote: %v", name, err)
				}
				if encrypted {
					if !seal.IsSealed(b) || bytes.Contains(b, []byte(`"version"`)) {
						t.Fatalf("%s reached an encrypted archive in plaintext", name)
					}
					m, err := sidecar.Read(bytes.NewReader(b), &archive.Key)
					if err != nil || m.Segment != seg {
						t.Fatalf("sealed sidecar %s: %+v %v", name, m, err)
					}
				} else if !bytes.Equal(b, plain) {
					t.Fatalf("sidecar %s changed on the way", name)
				}
			}
		})
	}
}

// OnlyActive ships the segments with activity and those without a
// sidecar, keeps the inactive ones locally, and deletes them (with their
// sidecars) once older than KeepInactive.
func TestOnlyActive(t *testing.T) {
	ctx := setup(t)
	sc := scheme(t)
	srv := rclonetest.S3(t)
	dir := t.TempDir()
	var names []string
	for i := range 4 {
		n, _ := segment(t, dir, sc, i, 20<<10)
		names = append(names, n)
	}
	writeSidecar(t, dir, sc, names[0], true)
	writeSidecar(t, dir, sc, names[1], false)
	writeSidecar(t, dir, sc, names[2], false)
	// names[3] has no sidecar: unknown ships.
	run := func(keep time.Duration) []Shipped {
		var got []Shipped
		s, err := New(Options{Sources: []Source{{Dir: dir, Dest: open(t, ctx, srv.Remote+"/cam"), OnlyActive: true, KeepInactive: keep}},
			Scheme: sc, Once: true, OnShipped: func(_ context.Context, sh Shipped) { got = append(got, sh) }})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Run(ctx); err != nil {
			t.Fatal(err)
		}
		return got
	}
	got := run(100 * 365 * 24 * time.Hour)
	if len(got) != 2 || filepath.Base(got[0].Local) != names[0] || filepath.Base(got[1].Local) != names[3] {
		t.Fatalf("shipped %+v; want %s and %s", got, names[0], names[3])
	}
	for _, n := range names[1:3] {
		mustBe(t, filepath.Join(dir, n), true)
		mustBe(t, filepath.Join(dir, sc.Sidecar(n)), true)
		mustBe(t, remoteFile(t, filepath.Join(srv.Root, "cam"), sc, n), false)
	}
	// The test segments are from 2024: with a day's keep they are past it.
	if got := run(24 * time.Hour); len(got) != 0 {
		t.Fatalf("shipped %+v on the second run", got)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("held segments past KeepInactive still here: %v", left)
	}
}

func mustBe(t *testing.T, p string, there bool) {
	t.Helper()
	if _, err := os.Stat(p); (err == nil) != there {
		t.Fatalf("%s: exists %v, want %v", p, err == nil, there)
	}
}
