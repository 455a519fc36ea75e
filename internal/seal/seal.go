package seal

import (
	"crypto/rand"
	"errors"
	"io"
)

// Options of one sealed file.
type Options struct {
	Salt [saltSize]byte // the archive key's passphrase salt (zero for a random key); recorded so the passphrase alone recovers the key
}

// Encrypt returns a reader of the sealed form of plain under the archive
// key. It reads plain one chunk ahead (to know which chunk is last) and
// holds two chunks of memory whatever the size.
func Encrypt(plain io.Reader, archive Key, o Options) (io.Reader, error) {
	var file Key
	if _, err := rand.Read(file[:]); err != nil {
		return nil, err
	}
	h := make([]byte, HeaderSize)
	copy(h, magic)
	h[offVersion] = version
	h[offShift] = chunkShift
	if _, err := rand.Read(h[offPrefix : offPrefix+prefixSize]); err != nil {
		return nil, err
	}
	id := KeyID(archive)
	copy(h[offKeyID:], id[:])
	copy(h[offSalt:], o.Salt[:])
	if _, err := rand.Read(h[offWrapNonce : offWrapNonce+wrapNonceLen]); err != nil {
		return nil, err
	}
	// The wrap authenticates every header byte before it.
	newGCM(archive).Seal(h[offWrapped:offWrapped], h[offWrapNonce:offWrapNonce+wrapNonceLen], file[:], h[:offWrapped])
	fc := fileCheck(file)
	copy(h[offFileCheck:], fc[:])
	return &sealer{src: plain, header: h, aead: newGCM(file), out: h,
		next: make([]byte, 0, ChunkSize), spare: make([]byte, 0, ChunkSize)}, nil
}

type sealer struct {
	src    io.Reader
	header []byte
	aead   interface {
		Seal(dst, nonce, plaintext, aad []byte) []byte
	}
	counter uint32
	started bool   // the first chunk has been read ahead into next
	next    []byte // plaintext read ahead, not yet sealed
	spare   []byte // the other plaintext buffer (they swap each chunk)
	out     []byte // sealed bytes not yet returned
	buf     []byte
	done    bool
	err     error
}

func (s *sealer) Read(p []byte) (int, error) {
	for len(s.out) == 0 {
		if s.done {
			return 0, io.EOF
		}
		if s.err != nil {
			return 0, s.err
		}
		s.sealNext()
	}
	n := copy(p, s.out)
	s.out = s.out[n:]
	return n, nil
}

// sealNext seals the chunk read ahead once the chunk after it (or the end)
// is known.
func (s *sealer) sealNext() {
	if !s.started {
		s.started = true
		if s.next, s.err = fill(s.src, s.next[:0]); s.err != nil {
			return
		}
	}
	cur := s.next
	following, err := fill(s.src, s.spare[:0])
	if err != nil {
		s.err = err
		return
	}
	if s.counter == maxChunks {
		s.err = errors.New("seal: file too large")
		return
	}
	last := len(following) == 0
	s.buf = s.aead.Seal(s.buf[:0], chunkNonce(s.header[offPrefix:], s.counter), cur, chunkAAD(s.header, last))
	s.out = s.buf
	s.counter++
	s.next, s.spare = following, cur
	s.done = last
}

// fill reads up to a whole chunk; fewer bytes only at the end of src.
func fill(r io.Reader, b []byte) ([]byte, error) {
	n, err := io.ReadFull(r, b[:ChunkSize])
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		err = nil
	}
	return b[:n], err
}
