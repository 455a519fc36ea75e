package ship

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/walk"

	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/seal"
	"github.com/camshare/camshare/internal/testkit/rclonetest"
	"github.com/camshare/camshare/internal/testkit/samplemp4"
)

// With Encrypt set, every segment reaches the remote sealed under its
// layout name, decrypts to the exact local bytes, the local file goes only
// after that, and the cloud holds no byte of plaintext: no MP4 box names in
// any object. The already-there rules hold for sealed copies too.
func TestEncryptedShip(t *testing.T) {
	ctx := setup(t)
	sc := scheme(t)
	srv := rclonetest.S3(t)
	dest := open(t, ctx, srv.Remote+"/cam")
	archive, err := keys.LoadOrCreate(filepath.Join(t.TempDir(), keys.FileName))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sample := samplemp4.Write(t, filepath.Join(t.TempDir(), "sample.mp4"))
	want := map[string][]byte{}
	var names []string
	for i := range 4 {
		n := sc.Name(base.Add(timeMinutes(i)))
		data := append(bytes.Clone(sample), byte(i)) // each file different
		if err := os.WriteFile(filepath.Join(dir, n), data, 0o644); err != nil {
			t.Fatal(err)
		}
		want[n] = data
		names = append(names, n)
	}
	sealedOf := func(data []byte) []byte {
		r, err := seal.Encrypt(bytes.NewReader(data), archive.Key, archive.Options())
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r)
		return b
	}
	put := func(name string, data []byte) {
		p, _ := sc.RemotePath(name)
		if err := rclonePut(ctx, dest, p, data); err != nil {
			t.Fatal(err)
		}
	}
	put(names[0], sealedOf(want[names[0]]))                         // a run killed after the copy: same
	put(names[1], sealedOf(want[names[1]])[:seal.HeaderSize+70000]) // killed during the copy: torn
	put(names[2], want[names[2]])                                   // plaintext from before encrypt: different

	log, _ := testLogger(t)
	var got []Shipped
	s, err := New(Options{Sources: []Source{{Dir: dir, Dest: dest, Encrypt: archive}}, Scheme: sc, Once: true, Log: log,
		OnShipped: func(_ context.Context, sh Shipped) { got = append(got, sh) }})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[0].Uploaded || !got[1].Uploaded || !got[3].Uploaded {
		t.Fatalf("shipped %+v", got)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("local files left: %v", left)
	}
	land := map[string]string{names[0]: names[0], names[1]: names[1], names[2]: sc.Unique(names[2], 1), names[3]: names[3]}
	for n, remoteName := range land {
		p, _ := sc.RemotePath(remoteName)
		if n != remoteName {
			p = filepath.ToSlash(filepath.Join(filepath.Dir(p), remoteName))
		}
		if plain := decryptObject(t, ctx, dest, p, archive.Key); !bytes.Equal(plain, want[n]) {
			t.Errorf("%s does not decrypt to %s", p, n)
		}
	}
	// The plaintext put there on purpose before is the only readable file.
	objects := scanForPlaintext(t, ctx, dest)
	sort.Strings(objects)
	p2, _ := sc.RemotePath(names[2])
	if len(objects) != 1 || objects[0] != p2 {
		t.Fatalf("objects with MP4 boxes readable: %v, want only the planted %s", objects, p2)
	}
}

func timeMinutes(i int) time.Duration { return time.Duration(i) * time.Minute }

func decryptObject(t *testing.T, ctx context.Context, f fs.Fs, p string, k seal.Key) []byte {
	t.Helper()
	o, err := f.NewObject(ctx, p)
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	r, err := o.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	plain, err := seal.Decrypt(r, k)
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	b, err := io.ReadAll(plain)
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return b
}

// scanForPlaintext reads every object on the remote and returns those in
// which an MP4 box name (ftyp, moov, moof, mdat) or a share index field
// name appears.
func scanForPlaintext(t *testing.T, ctx context.Context, f fs.Fs) []string {
	t.Helper()
	var found []string
	err := walk.ListR(ctx, f, "", true, -1, walk.ListObjects, func(entries fs.DirEntries) error {
		for _, e := range entries {
			o := e.(fs.Object)
			r, err := o.Open(ctx)
			if err != nil {
				return err
			}
			b, err := io.ReadAll(r)
			r.Close()
			if err != nil {
				return err
			}
			for _, word := range plaintextMarks {
				if bytes.Contains(b, []byte(word)) {
					found = append(found, o.Remote())
					break
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

var plaintextMarks = strings.Fields(`ftyp moov moof mdat "segments" "generated" "expire_seconds" "window_seconds"`)
