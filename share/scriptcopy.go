package share

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/archive"
	"github.com/camshare/camshare/internal/redact"
)

// A page opened from disk (file://: a local-folder archive, the demo) may
// not fetch anything, only load scripts; an encrypted page there must read
// the sealed bytes, so each segment it shows gets a copy as a script in
// the share's folder (v/NAME.js: its sealed bytes in base64, still
// ciphertext). Only local folders get these: on a bucket the page fetches.

const scriptCopies = "v"

// scriptCopy makes (once) the script copy of s in the share's folder and
// returns its link, relative to that folder. name is the copy's name
// without .js: unique among the share's footage.
func (l *linker) scriptCopy(ctx context.Context, s archive.Segment, name, dir string, old *Link) (string, error) {
	name += ".js"
	remote := dir + "/" + scriptCopies + "/" + name
	url := relativeURL(dir, remote)
	if old != nil && old.URL == url && old.Size == s.Size {
		if _, err := l.dest.NewObject(ctx, remote); err == nil {
			return url, nil
		}
	}
	obj, err := l.dest.NewObject(ctx, s.Path)
	if err != nil {
		return "", fmt.Errorf("%s: %w", s.Path, redact.Error(err))
	}
	rc, err := obj.Open(ctx)
	if err != nil {
		return "", fmt.Errorf("%s: %w", s.Path, redact.Error(err))
	}
	defer rc.Close()
	sealed, err := io.ReadAll(io.LimitReader(rc, 1<<30))
	if err != nil {
		return "", fmt.Errorf("%s: %w", s.Path, redact.Error(err))
	}
	var b strings.Builder
	b.WriteString("camshareDoc(" + jsonString(name) + ", \"")
	b.WriteString(base64.StdEncoding.EncodeToString(sealed))
	b.WriteString("\");\n")
	if err := put(ctx, l.dest, remote, []byte(b.String()), mimeOf(name)); err != nil && !errors.Is(err, fs.ErrorDirNotFound) {
		return "", err
	}
	return url, nil
}
