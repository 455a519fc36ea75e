package share

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/archive"
	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/redact"
	"github.com/camshare/camshare/internal/seal"
)

// A share of an encrypted archive (Options.Seal set) leaves nothing
// readable on the remote but the page's code:
//
//	share.json          sealed with the archive key (only the device reads it)
//	latest.json, day-…  sealed with the share's own link key, which is in the
//	                    link's fragment (#k=…) and in share.json, nowhere else
//	footage             sealed by ship; the index lists each segment's file
//	                    key (unwrapped here from its header), so a link opens
//	                    exactly its segments and never holds the archive key
//
// Everything is linked relatively and read without a signature (public-read
// under the unguessable share/ID/ prefix), so the link never expires.
// Revoke deletes the page and index: the link key dies with them, a new
// share gets a new one, and footage recorded later has file keys no old
// index ever listed. docs/encryption.md says why.

// ErrSealedRecord is a share of an encrypted archive read without its key.
var ErrSealedRecord = errors.New("this share is encrypted: camshare needs the archive key (encrypt: true and key_file in the config, or --key-file)")

func newLinkKey() seal.Key {
	var k seal.Key
	rand.Read(k[:]) // never fails (crypto/rand)
	return k
}

// sealBytes is data sealed under k (a link key or the archive key).
func sealBytes(data []byte, k seal.Key) ([]byte, error) {
	r, err := seal.Encrypt(bytes.NewReader(data), k, seal.Options{})
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

func openBytes(data []byte, k seal.Key) ([]byte, error) {
	r, err := seal.Decrypt(bytes.NewReader(data), k)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

// sealedDoc is a document the page reads, sealed with the link key; for a
// page opened from disk (fetch refused) a script that hands its base64 to
// the page.
func sealedDoc(data []byte, k seal.Key, scriptName string) ([]byte, error) {
	sealed, err := sealBytes(data, k)
	if err != nil || scriptName == "" {
		return sealed, err
	}
	return []byte("camshareDoc(" + jsonString(scriptName) + ", " + jsonString(base64.StdEncoding.EncodeToString(sealed)) + ");\n"), nil
}

// fileKey reads a sealed segment's header (128 bytes, one ranged read) and
// unwraps its file key with the archive key. A segment shipped before
// encryption was turned on has none: "" (the page plays it as it is).
func fileKey(ctx context.Context, f fs.Fs, remote string, a *keys.Archive) (string, error) {
	obj, err := f.NewObject(ctx, remote)
	if err != nil {
		return "", fmt.Errorf("%s: %w", remote, redact.Error(err))
	}
	rc, err := obj.Open(ctx, &fs.RangeOption{Start: 0, End: seal.HeaderSize - 1})
	if err != nil {
		return "", fmt.Errorf("%s: %w", remote, redact.Error(err))
	}
	defer rc.Close()
	h, err := seal.ReadHeader(io.LimitReader(rc, seal.HeaderSize))
	if errors.Is(err, seal.ErrNotSealed) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("%s: %w", remote, err)
	}
	k, err := h.FileKey(a.Key)
	if err != nil {
		return "", fmt.Errorf("%s: %w (is it this archive's key?)", remote, err)
	}
	return keys.Encode(k), nil
}

// linkKeyOf is the record's link key.
func (r *record) linkKey() (seal.Key, error) {
	return keys.Decode(r.LinkKey)
}

// refuseSealed stops a page without the key for encrypted footage: it
// would show nothing but errors.
func refuseSealed(ctx context.Context, o *Options, newest archive.Segment) error {
	obj, err := o.Dest.NewObject(ctx, newest.Path)
	if err != nil {
		return nil // listing found it; the page will say what is wrong
	}
	rc, err := obj.Open(ctx, &fs.RangeOption{Start: 0, End: 15})
	if err != nil {
		return nil
	}
	defer rc.Close()
	head, _ := io.ReadAll(io.LimitReader(rc, 16))
	if seal.IsSealed(head) {
		return ErrSealedFootage
	}
	return nil
}

// ErrSealedFootage is a page asked for without the key of an encrypted archive.
var ErrSealedFootage = errors.New("the footage is encrypted (encrypt: true): share needs the archive key to make a page that plays it (--key-file, or key_file in camshare's config)")
