package share

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/operations"

	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/redact"
)

// Each share lives in its own folder, share/ID/ below the archive root,
// named by 128 random bits: a link to one share says nothing about
// another's name, and a new share never touches an old one.

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

func newID() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand)
	return strings.ToLower(idEncoding.EncodeToString(b))
}

func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// Page is one share as --list shows it.
type Page struct {
	ID        string
	Owner     string
	Title     string
	Selection string // in words: "the last 1h", "2024-03-23 10:00:00 to …"
	Live      bool
	Segments  int
	Created   time.Time
	Updated   time.Time
	Expires   time.Time // zero: the link does not expire
	URL       string    // the link handed out ("" until the page was uploaded)
}

// List returns the shares below the archive root, newest first; a is the
// archive key of an encrypted archive (nil: none).
func List(ctx context.Context, f fs.Fs, a *keys.Archive) ([]Page, error) {
	recs, err := records(ctx, f, a)
	if err != nil {
		return nil, err
	}
	out := make([]Page, 0, len(recs))
	for _, r := range recs {
		if r.locked {
			out = append(out, Page{ID: r.ID, Title: "(encrypted)", Selection: "encrypted: --key-file shows more"})
			continue
		}
		o := r.options(Options{})
		out = append(out, Page{ID: r.ID, Owner: r.Owner, Title: r.Title, Selection: o.describe(), Live: o.live(),
			Segments: len(r.Segments), Created: r.Created, Updated: r.Generated, Expires: r.PageExpires, URL: r.PageURL})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Created.After(out[j].Created) })
	return out, nil
}

// records reads every share's record (one listing, one read per share).
func records(ctx context.Context, f fs.Fs, a *keys.Archive) ([]*record, error) {
	entries, err := f.List(ctx, SharesDir)
	if errors.Is(err, fs.ErrorDirNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, redact.Error(err)
	}
	var out []*record
	for _, e := range entries {
		if _, ok := e.(fs.Directory); !ok {
			continue
		}
		id := strings.TrimPrefix(e.Remote(), SharesDir+"/")
		if !validID(id) {
			continue
		}
		r, err := readRecord(ctx, f, id, a)
		if errors.Is(err, ErrSealedRecord) { // listed, never refreshed without the key
			r, err = &record{ID: id, locked: true}, nil
		}
		if err != nil {
			return nil, err
		}
		if r != nil {
			out = append(out, r)
		}
	}
	return out, nil
}

// ErrUnknownShare is Revoke's answer for an ID that is not there.
var ErrUnknownShare = errors.New("no share with that ID here (see share --list)")

// Revoke deletes one share's page and index: its link then opens nothing.
// The footage stays. For an encrypted archive the link key goes with the
// record: nothing written later is sealed with it (it needs no key: the
// folder's files are deleted unread).
func Revoke(ctx context.Context, f fs.Fs, id string) error {
	if !validID(id) {
		return ErrUnknownShare
	}
	dir := shareDir(id)
	entries, err := f.List(ctx, dir)
	if errors.Is(err, fs.ErrorDirNotFound) {
		return ErrUnknownShare
	}
	if err != nil {
		return redact.Error(err)
	}
	if !slices.ContainsFunc(entries, func(e fs.DirEntry) bool { return path.Base(e.Remote()) == RecordName }) {
		return ErrUnknownShare
	}
	// Everything below the share's folder (an encrypted page's script
	// copies too), then the folder itself where the backend has folders.
	if err := operations.Purge(ctx, f, dir); err != nil {
		return fmt.Errorf("revoke %s: %w", id, redact.Error(err))
	}
	return nil
}

// localPath is where a page written to a local remote opens from disk.
func localPath(f fs.Fs, remote string) string {
	if f.Features().IsLocal {
		return filepath.Join(filepath.FromSlash(f.Root()), filepath.FromSlash(remote))
	}
	return fs.ConfigString(f) + "/" + remote
}
