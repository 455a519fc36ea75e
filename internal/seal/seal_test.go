package seal

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"testing"
)

func testKey(t testing.TB) Key {
	var k Key
	if _, err := rand.Read(k[:]); err != nil {
		t.Fatal(err)
	}
	return k
}

func seal(t testing.TB, plain []byte, k Key) []byte {
	r, err := Encrypt(bytes.NewReader(plain), k, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func open(sealed []byte, k Key) ([]byte, error) {
	r, err := Decrypt(bytes.NewReader(sealed), k)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

func TestRoundTripSizes(t *testing.T) {
	k := testKey(t)
	for _, n := range []int{0, 1, ChunkSize - 1, ChunkSize, ChunkSize + 1, 3 * ChunkSize, 3*ChunkSize + 17} {
		plain := make([]byte, n)
		rand.Read(plain)
		sealed := seal(t, plain, k)
		if int64(len(sealed)) != SealedSize(int64(n)) {
			t.Errorf("n=%d: sealed %d bytes, SealedSize says %d", n, len(sealed), SealedSize(int64(n)))
		}
		got, err := open(sealed, k)
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("n=%d: round trip: err=%v equal=%v", n, err, bytes.Equal(got, plain))
		}
		if bytes.Contains(sealed, plain[:min(n, 64)]) && n >= 16 {
			t.Errorf("n=%d: plaintext visible in the sealed form", n)
		}
	}
}

func TestSameInputSealsDifferently(t *testing.T) {
	k := testKey(t)
	plain := bytes.Repeat([]byte("ftypisom"), 1000)
	if bytes.Equal(seal(t, plain, k), seal(t, plain, k)) {
		t.Fatal("two seals of one file are equal: file keys or nonces repeat")
	}
}

func TestFailuresHaveTheirKind(t *testing.T) {
	k := testKey(t)
	plain := make([]byte, 3*ChunkSize+100)
	rand.Read(plain)
	sealed := seal(t, plain, k)
	chunk := ChunkSize + tagSize

	flipped := bytes.Clone(sealed)
	flipped[HeaderSize+chunk+5] ^= 1
	swapped := bytes.Clone(sealed)
	copy(swapped[HeaderSize:], sealed[HeaderSize+chunk:HeaderSize+2*chunk])
	copy(swapped[HeaderSize+chunk:], sealed[HeaderSize:HeaderSize+chunk])
	headerFlip := bytes.Clone(sealed)
	headerFlip[offPrefix] ^= 1
	extra := append(bytes.Clone(sealed), 0)

	cases := []struct {
		name string
		in   []byte
		key  Key
		want error
	}{
		{"wrong key", sealed, testKey(t), ErrWrongKey},
		{"flipped byte", flipped, k, ErrDamaged},
		{"chunks swapped", swapped, k, ErrDamaged},
		{"header changed", headerFlip, k, ErrDamaged},
		{"cut at a chunk boundary", sealed[:HeaderSize+2*chunk], k, ErrTruncated},
		{"cut after the header", sealed[:HeaderSize], k, ErrTruncated},
		{"cut inside the header", sealed[:40], k, ErrTruncated},
		{"last chunk dropped", sealed[:HeaderSize+3*chunk], k, ErrTruncated},
		{"byte appended", extra, k, ErrDamaged},
		{"plain MP4", plain, k, ErrNotSealed},
	}
	for _, c := range cases {
		got, err := open(c.in, c.key)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
		if len(got) > 0 && err == nil {
			t.Errorf("%s: returned %d bytes without error", c.name, len(got))
		}
	}
}

func TestFileKeyOpensOnlyItsFile(t *testing.T) {
	k := testKey(t)
	a, b := seal(t, []byte("segment a"), k), seal(t, []byte("segment b"), k)
	h, err := ReadHeader(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	fk, err := h.FileKey(k)
	if err != nil {
		t.Fatal(err)
	}
	r, err := DecryptWithFileKey(bytes.NewReader(a), fk)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(r); string(got) != "segment a" {
		t.Fatalf("file key opened %q", got)
	}
	if _, err := DecryptWithFileKey(bytes.NewReader(b), fk); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("a's file key on b: %v, want ErrWrongKey", err)
	}
}

// TestDecryptStreams: plaintext comes out before the whole file is read.
func TestDecryptStreams(t *testing.T) {
	k := testKey(t)
	plain := make([]byte, 10*ChunkSize)
	sealed := seal(t, plain, k)
	pr, pw := io.Pipe()
	go func() { pw.Write(sealed[:HeaderSize+2*(ChunkSize+tagSize)]) }() // then blocks: the rest never comes
	r, err := Decrypt(pr, k)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(r, make([]byte, ChunkSize)); err != nil {
		t.Fatal(err)
	}
	pr.Close()
}

func FuzzDecrypt(f *testing.F) {
	var k Key
	k[0] = 7
	plain := make([]byte, ChunkSize+10)
	r, _ := Encrypt(bytes.NewReader(plain), k, Options{})
	good, _ := io.ReadAll(r)
	f.Add(good)
	f.Add(good[:HeaderSize+5])
	f.Add([]byte("camseal\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := open(b, k)
		if err == nil && !bytes.Equal(got, plain) {
			// Only the sealed file itself may authenticate.
			t.Fatalf("forged input decrypted to %d bytes", len(got))
		}
		if h, err := ReadHeader(bytes.NewReader(b)); err == nil {
			var fk Key
			r := h.Open(bytes.NewReader(b[HeaderSize:]), fk)
			io.Copy(io.Discard, r)
		}
	})
}
