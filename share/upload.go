package share

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/object"
	"github.com/rclone/rclone/fs/operations"

	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/redact"
	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/seal"
)

// Step 5 of the path: the documents and the page onto the remote.

// Names of the files in a share's folder.
const (
	SharesDir  = "share" // below the archive root: share/ID/…
	PageName   = "index.html"
	RecordName = "share.json"
)

func shareDir(id string) string { return SharesDir + "/" + id }

// uploadIndex writes the day documents, links them into latest.json,
// writes latest.json and the record, and returns latest.json's link. Day
// documents that did not change keep their object and link.
func uploadIndex(ctx context.Context, o *Options, l *linker, r *record, ix *index) (string, error) {
	dir := shareDir(r.ID)
	script := o.Relative
	if r.Docs == nil {
		r.Docs = map[string]docLink{}
	}
	for i, d := range ix.latest.Days {
		name := docName(d.Day, script)
		data, err := encode(struct {
			Segments []pageSeg `json:"segments"`
		}{ix.days[d.Day]}, scriptTag(name, script && o.Seal == nil)) // a sealed one is wrapped after sealing
		if err != nil {
			return "", err
		}
		if ix.latest.Days[i].URL, err = putLinked(ctx, o, l, r, dir, name, data); err != nil {
			return "", err
		}
	}
	data, err := encode(ix.latest, scriptTag(docName("", script), script && o.Seal == nil))
	if err != nil {
		return "", err
	}
	url, err := putLinked(ctx, o, l, r, dir, docName("", script), data)
	if err != nil {
		return "", err
	}
	return url, writeRecord(ctx, o.Dest, r, o.Seal)
}

func scriptTag(name string, script bool) string {
	if !script {
		return ""
	}
	return name
}

// putLinked uploads one document unless it is unchanged, and links it
// (reusing its link while good). The record remembers a hash of each, so a
// refresh rewrites only today's day document and latest.json.
func putLinked(ctx context.Context, o *Options, l *linker, r *record, dir, name string, data []byte) (string, error) {
	remote := dir + "/" + name
	old, known := r.Docs[name]
	sum := fmt.Sprintf("%x", sha256.Sum256(data)) // of the plaintext: sealing differs every time
	if !known || old.Sum != sum {
		mime := mimeOf(name)
		if o.Seal != nil {
			k, err := r.linkKey()
			if err != nil {
				return "", err
			}
			if data, err = sealedDoc(data, k, scriptTag(name, o.Relative)); err != nil {
				return "", err
			}
			if !o.Relative {
				mime = "application/octet-stream"
			}
		}
		if err := put(ctx, o.Dest, remote, data, mime); err != nil {
			return "", err
		}
	}
	var reuse *Link
	if known {
		reuse = &Link{URL: old.URL, Expires: old.Expires}
	}
	u, exp, err := l.link(ctx, remote, dir, reuse)
	if err != nil {
		return "", err
	}
	r.Docs[name] = docLink{Sum: sum, URL: u, Expires: exp}
	return u, nil
}

func mimeOf(name string) string {
	switch path.Ext(name) {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".html":
		return "text/html; charset=utf-8"
	}
	return "application/json"
}

// writeRecord writes share.json, private even on a remote set up
// public-read; an encrypted archive's is sealed with the archive key (it
// holds the link key and every file key).
func writeRecord(ctx context.Context, f fs.Fs, r *record, a *keys.Archive) error {
	data, err := encode(r, "")
	if err != nil {
		return err
	}
	if f, err = remote.Private(ctx, f); err != nil {
		return err
	}
	mime := "application/json"
	if a != nil {
		if data, err = sealBytes(data, a.Key); err != nil {
			return err
		}
		mime = "application/octet-stream"
	}
	return put(ctx, f, shareDir(r.ID)+"/"+RecordName, data, mime)
}

// readRecord reads share.json; nil when there is none. A sealed one needs
// the archive key.
func readRecord(ctx context.Context, f fs.Fs, id string, a *keys.Archive) (*record, error) {
	raw, err := get(ctx, f, shareDir(id)+"/"+RecordName)
	if err != nil || raw == nil {
		return nil, err
	}
	if seal.IsSealed(raw) {
		if a == nil {
			return nil, ErrSealedRecord
		}
		if raw, err = openBytes(raw, a.Key); err != nil {
			return nil, fmt.Errorf("%s/%s: %w", shareDir(id), RecordName, err)
		}
	}
	var r record
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("%s/%s: %v", shareDir(id), RecordName, err)
	}
	return &r, nil
}

// uploadPage writes the page and returns the link to hand out.
func uploadPage(ctx context.Context, o *Options, l *linker, r *record, html []byte) (string, error) {
	remote := shareDir(r.ID) + "/" + PageName
	if err := put(ctx, o.Dest, remote, html, mimeOf(PageName)); err != nil {
		return "", err
	}
	fragment := ""
	if o.Seal != nil {
		fragment = "#k=" + r.LinkKey // browsers never send the fragment to a server
	}
	if l.b == nil {
		return localPath(o.Dest, remote) + fragment, nil
	}
	u, err := operations.PublicLink(ctx, l.b.f, remote, fs.Duration(l.ask), false)
	if err != nil {
		return "", fmt.Errorf("link for %s: %w", remote, redact.Error(err))
	}
	if o.Seal != nil {
		u = unsigned(u)
	}
	return u + fragment, nil
}

// unsigned is a presigned link without its signature: the object's plain
// address, which an encrypted archive's public-read page is read at.
func unsigned(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[:i]
	}
	return u
}

// put uploads a small file, replacing an existing one in place: some
// backends (Drive) would keep a second file of the same name after a Put.
// no-cache makes browsers revalidate (If-None-Match) each poll, so the page
// sees a new document as soon as it is uploaded and pays a 304 otherwise.
func put(ctx context.Context, f fs.Fs, remote string, data []byte, mime string) error {
	if fs.GetConfig(ctx).DryRun {
		fs.Logf(f, "dry run: not uploading %s (%d bytes)", remote, len(data))
		return nil
	}
	info := object.NewStaticObjectInfo(remote, time.Now(), int64(len(data)), true, nil, f).WithMimeType(mime)
	opts := []fs.OpenOption{&fs.HTTPOption{Key: "Cache-Control", Value: "no-cache"}}
	obj, err := f.NewObject(ctx, remote)
	switch {
	case err == nil:
		err = obj.Update(ctx, bytes.NewReader(data), info, opts...)
	case errors.Is(err, fs.ErrorObjectNotFound), errors.Is(err, fs.ErrorDirNotFound):
		_, err = f.Put(ctx, bytes.NewReader(data), info, opts...)
	}
	if err != nil {
		return fmt.Errorf("upload %s: %w", remote, redact.Error(err))
	}
	return nil
}

// get reads a small file; a missing one is (nil, nil).
func get(ctx context.Context, f fs.Fs, remote string) ([]byte, error) {
	obj, err := f.NewObject(ctx, remote)
	if errors.Is(err, fs.ErrorObjectNotFound) || errors.Is(err, fs.ErrorDirNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, redact.Error(err)
	}
	rc, err := obj.Open(ctx)
	if err != nil {
		return nil, redact.Error(err)
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, 64<<20))
}
