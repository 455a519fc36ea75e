package ship

import (
	"bytes"
	"context"
	"io"
	"os"
	"testing"

	"github.com/rclone/rclone/fs/config/obscure"

	"github.com/camshare/camshare/internal/remote"
)

// A crypt remote (footage encrypted at rest) ships like any other: what is
// stored is ciphertext, what reads back through the crypt remote is the
// segment, and the already-there check works without a common hash.
func TestCryptRemote(t *testing.T) {
	ctx := setup(t)
	sc := scheme(t)
	store := t.TempDir()
	t.Setenv("RCLONE_CONFIG_VAULT_TYPE", "crypt")
	t.Setenv("RCLONE_CONFIG_VAULT_REMOTE", store)
	t.Setenv("RCLONE_CONFIG_VAULT_PASSWORD", obscure.MustObscure("footage password"))
	dest, err := remote.Open(ctx, "vault:cam")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	want := map[string][]byte{}
	for i := range 2 {
		n, data := segment(t, dir, sc, i, 40<<10)
		want[n] = data
	}
	// One is already there (a run killed between copy and delete).
	first := sc.Name(base)
	p, _ := sc.RemotePath(first)
	if err := rclonePut(ctx, dest, p, want[first]); err != nil {
		t.Fatal(err)
	}
	var got []Shipped
	log, _ := testLogger(t)
	s, err := New(Options{Sources: []Source{{Dir: dir, Dest: dest}}, Scheme: sc, Once: true, Log: log,
		OnShipped: func(_ context.Context, sh Shipped) { got = append(got, sh) }})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Uploaded || !got[1].Uploaded {
		t.Fatalf("shipped %+v", got)
	}
	for n, data := range want {
		p, _ := sc.RemotePath(n)
		o, err := dest.NewObject(ctx, p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		r, err := o.Open(ctx)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r)
		r.Close()
		if !bytes.Equal(b, data) {
			t.Errorf("%s reads back different", p)
		}
		if _, err := os.Stat(dir + "/" + n); !os.IsNotExist(err) {
			t.Errorf("%s still local", n)
		}
	}
	for _, f := range remoteNames(t, store) {
		if bytes.Contains([]byte(f), []byte("2024")) {
			t.Errorf("stored name %s is not encrypted", f)
		}
	}
}
