package seal

import (
	"bytes"
	"crypto/subtle"
	"io"
)

// Header is a sealed file's parsed header.
type Header struct {
	raw  []byte
	Salt [saltSize]byte // passphrase salt of the archive key; zero for a random key
}

// ReadHeader reads and checks the fixed header at the start of a sealed
// file.
func ReadHeader(r io.Reader) (*Header, error) {
	h := make([]byte, HeaderSize)
	if _, err := io.ReadFull(r, h); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			if bytes.HasPrefix(h, []byte(magic)) {
				return nil, ErrTruncated
			}
			return nil, ErrNotSealed
		}
		return nil, err
	}
	if !bytes.Equal(h[:len(magic)], []byte(magic)) {
		return nil, ErrNotSealed
	}
	if h[offVersion] != version || h[offShift] != chunkShift || h[offReserved]|h[offReserved+1]|h[offReserved+2] != 0 {
		return nil, ErrUnsupported
	}
	hd := &Header{raw: h}
	copy(hd.Salt[:], h[offSalt:])
	return hd, nil
}

// FileKey unwraps the header's file key with the archive key: what a share
// index hands out so a link opens its segments and nothing else.
func (h *Header) FileKey(archive Key) (Key, error) {
	var file Key
	id := KeyID(archive)
	if subtle.ConstantTimeCompare(id[:], h.raw[offKeyID:offKeyID+idSize]) != 1 {
		return file, ErrWrongKey
	}
	plain, err := newGCM(archive).Open(nil, h.raw[offWrapNonce:offWrapNonce+wrapNonceLen],
		h.raw[offWrapped:offFileCheck], h.raw[:offWrapped])
	if err != nil {
		return file, ErrDamaged
	}
	copy(file[:], plain)
	if fc := fileCheck(file); subtle.ConstantTimeCompare(fc[:], h.raw[offFileCheck:]) != 1 {
		return file, ErrDamaged
	}
	return file, nil
}

// Decrypt returns a reader of the plaintext of a sealed file, given the
// archive key. Bytes come out one authenticated chunk at a time; a read
// fails with ErrDamaged or ErrTruncated as soon as a chunk does not
// authenticate or the file ends before its last chunk.
func Decrypt(r io.Reader, archive Key) (io.Reader, error) {
	h, err := ReadHeader(r)
	if err != nil {
		return nil, err
	}
	file, err := h.FileKey(archive)
	if err != nil {
		return nil, err
	}
	return h.Open(r, file), nil
}

// DecryptWithFileKey is Decrypt for a holder of the file key only.
func DecryptWithFileKey(r io.Reader, file Key) (io.Reader, error) {
	h, err := ReadHeader(r)
	if err != nil {
		return nil, err
	}
	if fc := fileCheck(file); subtle.ConstantTimeCompare(fc[:], h.raw[offFileCheck:]) != 1 {
		return nil, ErrWrongKey
	}
	return h.Open(r, file), nil
}

// Open decrypts the chunks that follow the header in r.
func (h *Header) Open(r io.Reader, file Key) io.Reader {
	return &opener{src: r, h: h, aead: newGCM(file), in: make([]byte, ChunkSize+tagSize+1)}
}

type opener struct {
	src  io.Reader
	h    *Header
	aead interface {
		Open(dst, nonce, ct, aad []byte) ([]byte, error)
	}
	in      []byte // one sealed chunk plus one byte read ahead
	have    int    // bytes of in filled
	counter uint32
	out     []byte
	plain   []byte
	done    bool
	err     error
}

func (o *opener) Read(p []byte) (int, error) {
	for len(o.out) == 0 {
		if o.err != nil {
			return 0, o.err
		}
		if o.done {
			return 0, io.EOF
		}
		o.err = o.openNext()
	}
	n := copy(p, o.out)
	o.out = o.out[n:]
	return n, nil
}

// openNext authenticates the next chunk. A whole chunk followed by more
// bytes must not be flagged last; whatever ends the file must be.
func (o *opener) openNext() error {
	n, err := io.ReadFull(o.src, o.in[o.have:])
	o.have += n
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return err
	}
	sealedLen := ChunkSize + tagSize
	more := o.have > sealedLen
	if !more {
		sealedLen = o.have
	}
	if sealedLen < tagSize {
		return ErrTruncated // not even a tag: the file stops between chunks
	}
	ct := o.in[:sealedLen]
	nonce := chunkNonce(o.h.raw[offPrefix:], o.counter)
	plain, err := o.aead.Open(o.plain[:0], nonce, ct, chunkAAD(o.h.raw, !more))
	if err != nil {
		if !more {
			// A chunk that was written as "not last" and is now at the end:
			// the rest of the file is missing.
			if _, e2 := o.aead.Open(o.plain[:0], nonce, ct, chunkAAD(o.h.raw, false)); e2 == nil {
				return ErrTruncated
			}
		}
		return ErrDamaged
	}
	o.plain, o.out = plain, plain
	o.counter++
	if o.counter == maxChunks && more {
		return ErrDamaged
	}
	if more {
		o.in[0] = o.in[sealedLen]
		o.have = 1
	} else {
		o.done = true
	}
	return nil
}

// IsSealed tells whether b starts like a sealed file.
func IsSealed(b []byte) bool { return bytes.HasPrefix(b, []byte(magic)) }
