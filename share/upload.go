package share

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/object"

	"github.com/camshare/camshare/internal/redact"
)

// Names of the files share keeps beside the footage.
const (
	PageName    = "index.html"
	IndexName   = "index.json" // the live index the page fetches (and share's own state)
	IndexJSName = "index.js"   // the same index as a script, for pages opened from disk (file://)
)

// put uploads a small file, replacing an existing one in place: some
// backends (Drive) would keep a second file of the same name after a Put.
// no-cache makes browsers and CDNs revalidate each poll, so the page sees a
// new index as soon as it is uploaded.
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
	case errors.Is(err, fs.ErrorObjectNotFound):
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
