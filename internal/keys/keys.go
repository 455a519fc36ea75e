// Package keys keeps the archive key on the device: made on first use,
// stored in a 0600 file next to the config, never uploaded, never logged
// (nothing here formats a key except Encode, which `camshare key show`
// calls when a person asks for it).
package keys

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/camshare/camshare/internal/seal"
)

// Archive is the archive key and where it lives.
type Archive struct {
	Path string
	Key  seal.Key
	Salt [16]byte // passphrase salt; zero for a random key
}

// FileName is the key file's name next to the config.
const FileName = "archive.key"

// PathFor is where the archive key of the config at configPath lives
// unless the config says key_file.
func PathFor(configPath string) string {
	return filepath.Join(filepath.Dir(configPath), FileName)
}

// Options of a sealed file made with this key (its passphrase salt).
func (a *Archive) Options() seal.Options { return seal.Options{Salt: a.Salt} }

// Passphrase tells whether the key was derived from a passphrase.
func (a *Archive) Passphrase() bool { return a.Salt != [16]byte{} }

// Load reads the key file at path.
func Load(path string) (*Archive, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no archive key at %s (it is made by the first encrypted ship, or 'camshare key import')", path)
	}
	if err != nil {
		return nil, fmt.Errorf("archive key: %v", err)
	}
	a := &Archive{Path: path}
	var haveKey bool
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		name, value, ok := strings.Cut(strings.TrimSpace(sc.Text()), ":")
		if !ok || strings.HasPrefix(name, "#") {
			continue
		}
		value = strings.TrimSpace(value)
		switch name {
		case "key":
			if a.Key, err = Decode(value); err != nil {
				return nil, fmt.Errorf("archive key %s: %v", path, err)
			}
			haveKey = true
		case "salt":
			b, err := base64.RawURLEncoding.DecodeString(value)
			if err != nil || len(b) != len(a.Salt) {
				return nil, fmt.Errorf("archive key %s: the salt line is damaged", path)
			}
			copy(a.Salt[:], b)
		}
	}
	if !haveKey {
		return nil, fmt.Errorf("archive key %s: no key line", path)
	}
	return a, nil
}

// LoadOrCreate loads the key at path, or makes a random one there on first
// use.
func LoadOrCreate(path string) (*Archive, error) {
	a, err := Load(path)
	if err == nil {
		return a, nil
	}
	if _, statErr := os.Stat(path); !errors.Is(statErr, fs.ErrNotExist) {
		return nil, err
	}
	var k seal.Key
	if _, err := rand.Read(k[:]); err != nil {
		return nil, err
	}
	a = &Archive{Path: path, Key: k}
	if err := a.Save(false); err != nil {
		if errors.Is(err, fs.ErrExist) { // another process made it first
			return Load(path)
		}
		return nil, err
	}
	return a, nil
}

// Save writes the key file (0600). replace=false never overwrites a key:
// footage sealed with it would be lost.
func (a *Archive) Save(replace bool) error {
	if err := os.MkdirAll(filepath.Dir(a.Path), 0o700); err != nil {
		return fmt.Errorf("archive key: %v", err)
	}
	var b strings.Builder
	b.WriteString("# camshare archive key. Keep it secret, keep a copy ('camshare key show'):\n")
	b.WriteString("# without it the encrypted footage cannot be read by anyone.\n")
	fmt.Fprintf(&b, "key: %s\n", Encode(a.Key))
	if a.Passphrase() {
		fmt.Fprintf(&b, "salt: %s\n", base64.RawURLEncoding.EncodeToString(a.Salt[:]))
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	tmp := a.Path
	if replace {
		tmp = a.Path + ".new"
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(tmp, flags, 0o600)
	if err != nil {
		return fmt.Errorf("archive key: %w", err)
	}
	_, err = f.WriteString(b.String())
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && replace {
		err = os.Rename(tmp, a.Path)
	}
	if err != nil {
		return fmt.Errorf("archive key: %v", err)
	}
	return nil
}

// Encode writes a key as 43 characters of unpadded base64url: what `key
// show` prints and what a share link carries after #k=.
func Encode(k seal.Key) string { return base64.RawURLEncoding.EncodeToString(k[:]) }

// Decode reads Encode's form (spaces and line breaks, as people copy it,
// are ignored).
func Decode(s string) (seal.Key, error) {
	var k seal.Key
	s = strings.Join(strings.Fields(s), "")
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil || len(b) != seal.KeySize {
		return k, errors.New("not a camshare key (43 letters, digits, - and _)")
	}
	copy(k[:], b)
	return k, nil
}

// exportedMark sits next to the key once it was shown for safe keeping.
func exportedMark(path string) string { return path + ".exported" }

// MarkExported records that a person was shown the key.
func MarkExported(path string) error {
	return os.WriteFile(exportedMark(path), []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o600)
}

// Exported tells whether the key at path was ever shown for safe keeping.
func Exported(path string) bool {
	_, err := os.Stat(exportedMark(path))
	return err == nil
}

// ForConfig is the key file a config uses: its key_file, else archive.key
// next to it.
func ForConfig(keyFile, configPath string) string {
	if keyFile != "" {
		return keyFile
	}
	return PathFor(configPath)
}
