// Package seal is camshare's encrypted segment format: a versioned header
// and AES-256-GCM over fixed-size chunks (a streaming AEAD), so a segment is
// encrypted while it uploads and decrypted while it plays, in constant
// memory, by Go here and by WebCrypto in the share page
// (share/page/decrypt.js). docs/encryption.md describes it byte by byte.
//
// Two keys: the archive key (kept on the device) wraps a random file key per
// sealed file; the file key encrypts the chunks. A share index can hand out
// the file keys of just the segments it shares, never the archive key.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/binary"
	"errors"
)

// KeySize is the size of archive and file keys (AES-256).
const KeySize = 32

// Key is a 256-bit archive or file key.
type Key [KeySize]byte

const (
	magic        = "camseal" // bytes 0..6; byte 7 is the version
	version      = 1
	chunkShift   = 16 // 64 KiB chunks: the page starts playing after the first one
	ChunkSize    = 1 << chunkShift
	tagSize      = 16
	prefixSize   = 8 // nonce = prefix ∥ big-endian 32-bit chunk counter
	idSize       = 16
	saltSize     = 16
	wrapNonceLen = 12
	HeaderSize   = 128
)

// Header field offsets (docs/encryption.md has the table).
const (
	offVersion   = 7
	offShift     = 8
	offReserved  = 9 // 3 bytes, zero
	offPrefix    = 12
	offKeyID     = 20
	offSalt      = 36
	offWrapNonce = 52
	offWrapped   = 64 // file key (32) + GCM tag (16)
	offFileCheck = 112
)

// Error kinds a decrypter reports; the page maps each to its own sentence.
var (
	ErrNotSealed   = errors.New("not a camshare encrypted file")
	ErrUnsupported = errors.New("encrypted with a newer camshare format")
	ErrWrongKey    = errors.New("wrong key")
	ErrDamaged     = errors.New("damaged: a chunk does not authenticate")
	ErrTruncated   = errors.New("incomplete: the file ends before its last chunk")
)

// KeyID is what a header records about the archive key: enough to tell a
// wrong key from damage, nothing that helps find the key.
func KeyID(k Key) [idSize]byte { return check("camshare archive key id v1", k) }

func fileCheck(k Key) [idSize]byte { return check("camshare file key check v1", k) }

func check(domain string, k Key) [idSize]byte {
	h := sha256.New()
	h.Write([]byte(domain))
	h.Write(k[:])
	var out [idSize]byte
	copy(out[:], h.Sum(nil))
	return out
}

func newGCM(k Key) cipher.AEAD {
	b, err := aes.NewCipher(k[:])
	if err != nil {
		panic(err) // unreachable: the key is always 32 bytes
	}
	g, err := cipher.NewGCM(b)
	if err != nil {
		panic(err) // unreachable: standard nonce and tag sizes
	}
	return g
}

// chunkNonce is the header's prefix followed by the chunk's index, so no two
// chunks of a file share a nonce and a moved chunk fails to authenticate.
func chunkNonce(prefix []byte, i uint32) []byte {
	n := make([]byte, 12)
	copy(n, prefix)
	binary.BigEndian.PutUint32(n[prefixSize:], i)
	return n
}

// chunkAAD binds every chunk to the whole header and says whether it is the
// last one, so a file cut at a chunk boundary does not pass as complete.
func chunkAAD(header []byte, last bool) []byte {
	aad := make([]byte, 1+len(header))
	if last {
		aad[0] = 1
	}
	copy(aad[1:], header)
	return aad
}

// SealedSize is the size of the sealed form of n plaintext bytes: the
// header plus a tag per chunk (an empty file still has one, empty, chunk).
func SealedSize(n int64) int64 {
	chunks := (n + ChunkSize - 1) / ChunkSize
	if chunks == 0 {
		chunks = 1
	}
	return HeaderSize + n + chunks*tagSize
}

// maxChunks keeps the counter from wrapping (256 TiB per file).
const maxChunks = 1<<32 - 1
