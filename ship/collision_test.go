package ship

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

// What is already at the remote path decides: an identical copy is not
// uploaded again (the local file just goes), a different file is never
// overwritten (the segment goes to STEM_1.mp4 beside it), and a torn copy —
// a strict prefix left by a killed upload — is replaced.
func TestAlreadyOnRemote(t *testing.T) {
	ctx := setup(t)
	sc := scheme(t)
	for _, backend := range []string{"local", "s3"} {
		t.Run(backend, func(t *testing.T) {
			root := t.TempDir()
			spec := root
			if backend == "s3" {
				srv := rclonetest.S3(t)
				spec, root = srv.Remote, srv.Root
			}
			dir := t.TempDir()
			same, sameData := segment(t, dir, sc, 0, 30<<10)
			diff, diffData := segment(t, dir, sc, 1, 30<<10)
			tornName, tornData := segment(t, dir, sc, 2, 30<<10)
			other := bytes.Repeat([]byte("x"), 30<<10)
			dest := open(t, ctx, spec)
			put := func(name string, data []byte) {
				p, _ := sc.RemotePath(name)
				if err := rclonePut(ctx, dest, p, data); err != nil {
					t.Fatal(err)
				}
			}
			put(same, sameData)
			put(diff, other)
			put(tornName, tornData[:10<<10])

			log, _ := testLogger(t)
			var got []Shipped
			s, err := New(Options{Sources: []Source{{Dir: dir, Dest: dest}}, Scheme: sc, Once: true, Log: log,
				OnShipped: func(_ context.Context, sh Shipped) { got = append(got, sh) }})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Run(ctx); err != nil {
				t.Fatal(err)
			}
			checkLanded(t, root, sc, same, sameData, dir)
			checkLanded(t, root, sc, tornName, tornData, dir)
			checkLanded(t, root, sc, sc.Unique(diff, 1), diffData, dir)
			if _, err := os.Stat(filepath.Join(dir, diff)); !os.IsNotExist(err) {
				t.Errorf("%s still local", diff)
			}
			if b, _ := os.ReadFile(remoteFile(t, root, sc, diff)); !bytes.Equal(b, other) {
				t.Errorf("the different file at %s was overwritten", diff)
			}
			if len(got) != 3 || got[0].Uploaded || !got[1].Uploaded || !strings.HasSuffix(got[1].Remote, "_1.mp4") || !got[2].Uploaded {
				t.Errorf("shipped %+v", got)
			}
		})
	}
}

// --once against a remote that is down: an error, every file still local.
func TestOnceFailsKeepsFiles(t *testing.T) {
	fastBackoff(t)
	ctx := setup(t)
	sc := scheme(t)
	srv := rclonetest.S3(t)
	dest := open(t, ctx, srv.Remote)
	srv.Stop()
	dir := t.TempDir()
	for i := range 3 {
		segment(t, dir, sc, i, 1000)
	}
	log, _ := testLogger(t)
	s, err := New(Options{Sources: []Source{{Dir: dir, Dest: dest}}, Scheme: sc, Once: true, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Run(ctx)
	if err == nil || !strings.Contains(err.Error(), "3 segment(s) not shipped") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("Run = %v, want one line about 3 segments", err)
	}
	if _, names := localBytes(t, dir); len(names) != 3 {
		t.Fatalf("local files %q, want all 3", names)
	}
	if st := s.Stats(); st.Failed != 3 || st.Shipped != 0 {
		t.Fatalf("stats %+v", st)
	}
}

// An unreadable folder, or a file in its place, is one clear line from
// New; a missing one is waited for by Run (issue 11 #8), except with --once.
func TestFolderErrors(t *testing.T) {
	ctx := setup(t)
	dest := open(t, ctx, t.TempDir())
	missing := filepath.Join(t.TempDir(), "nope")
	s, err := New(Options{Sources: []Source{{Dir: missing, Dest: dest}}, Once: true})
	if err != nil {
		t.Fatalf("missing folder refused by New: %v", err)
	}
	if err := s.Run(ctx); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing folder with --once: %v", err)
	}
	file := filepath.Join(t.TempDir(), "f")
	os.WriteFile(file, nil, 0o644)
	if _, err := New(Options{Sources: []Source{{Dir: file, Dest: dest}}}); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("file as folder: %v", err)
	}
}
