package keys

import (
	"crypto/rand"
	"errors"
	"strings"

	"golang.org/x/crypto/argon2"

	"github.com/camshare/camshare/internal/seal"
)

// Argon2id cost: 64 MiB and 3 passes take ~1 s on a 2016 phone's core
// (~0.3 s on a laptop); memory is what makes guessing on GPUs expensive.
// Fixed in format v1: changing them changes every derived key.
const (
	kdfTime    = 3
	kdfMemory  = 64 << 10 // KiB
	kdfThreads = 1
)

// MinPassphrase is the shortest passphrase accepted: whoever has a copy of
// the bucket can guess offline, so it must be long (four random words).
const MinPassphrase = 20

// FromPassphrase derives the archive key from a passphrase and salt.
func FromPassphrase(pass string, salt [16]byte) (seal.Key, error) {
	var k seal.Key
	pass = strings.TrimSpace(pass)
	if len(pass) < MinPassphrase {
		return k, errors.New("passphrase too short: use at least 20 characters (four or more random words)")
	}
	copy(k[:], argon2.IDKey([]byte(pass), salt[:], kdfTime, kdfMemory, kdfThreads, seal.KeySize))
	return k, nil
}

// NewPassphraseKey makes a passphrase key with a fresh salt. The salt is
// written into every sealed file's header, so the passphrase alone recovers
// the key from any segment ('camshare key import --passphrase --from').
func NewPassphraseKey(path, pass string) (*Archive, error) {
	var salt [16]byte
	if _, err := rand.Read(salt[:]); err != nil {
		return nil, err
	}
	k, err := FromPassphrase(pass, salt)
	if err != nil {
		return nil, err
	}
	return &Archive{Path: path, Key: k, Salt: salt}, nil
}
