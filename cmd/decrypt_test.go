package cmd

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/camshare/camshare/internal/testkit/samplemp4"
)

// ship --encrypt, key show, decrypt: the remote holds no MP4 box, the key
// file is private, and decrypt gives back byte-exact MP4s ffmpeg decodes.
func TestShipEncryptThenDecrypt(t *testing.T) {
	ctx := context.Background()
	rec, dst, out := t.TempDir(), t.TempDir(), t.TempDir()
	keyFile := filepath.Join(t.TempDir(), "archive.key")
	name := "20260101T100000+0000.mp4"
	plain := samplemp4.Write(t, filepath.Join(rec, name))
	var so, se bytes.Buffer
	if code := run(ctx, []string{"ship", "--dir", rec, "--to", dst, "--once", "--encrypt", "--key-file", keyFile, "--utc"}, &so, &se); code != 0 {
		t.Fatalf("ship exit %d: %s", code, se.String())
	}
	st, err := os.Stat(keyFile)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", err, st)
	}
	sealed, err := os.ReadFile(filepath.Join(dst, "20260101", "10", name))
	if err != nil {
		t.Fatal(err)
	}
	for _, box := range []string{"ftyp", "moov", "moof", "mdat"} {
		if bytes.Contains(sealed, []byte(box)) {
			t.Fatalf("the remote copy contains %q", box)
		}
	}
	so.Reset()
	if code := run(ctx, []string{"key", "show", "--qr", "--key-file", keyFile}, &so, &se); code != 0 {
		t.Fatalf("key show exit %d: %s", code, se.String())
	}
	if !strings.Contains(so.String(), "█") {
		t.Fatalf("no QR code printed:\n%s", so.String())
	}
	if code := run(ctx, []string{"decrypt", dst, "--out", out, "--key-file", keyFile}, &so, &se); code != 0 {
		t.Fatalf("decrypt exit %d: %s", code, se.String())
	}
	got, err := os.ReadFile(filepath.Join(out, "20260101", "10", name))
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("decrypted file differs (err %v)", err)
	}
	samplemp4.Decodes(t, filepath.Join(out, "20260101", "10", name))

	// A flipped byte fails, naming the file, writing nothing.
	sealed[len(sealed)/2] ^= 1
	bad := filepath.Join(t.TempDir(), name)
	os.WriteFile(bad, sealed, 0o644)
	se.Reset()
	out2 := t.TempDir()
	if code := run(ctx, []string{"decrypt", bad, "--out", out2, "--key-file", keyFile}, &so, &se); code != 1 || !strings.Contains(se.String(), "damaged") {
		t.Fatalf("tampered file: exit %d, %s", code, se.String())
	}
	if left, _ := os.ReadDir(out2); len(left) != 0 {
		t.Fatalf("a damaged file was written: %v", left)
	}
}
