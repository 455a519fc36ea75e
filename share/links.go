package share

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/operations"

	"github.com/camshare/camshare/internal/archive"
	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/redact"
)

// Step 2 of the path: one link per segment, through the backend's rules.

// linker makes the links of one publish: every link it makes asks for the
// same lifetime, and links of an earlier index are reused while they will
// outlive the next refresh (on Drive and friends every PublicLink is an API
// round trip, on S3 a HEAD request).
type linker struct {
	b        *backend // nil: a page opened from disk
	relative bool     // relative links: a page opened from disk, or an encrypted archive's (read without a signature)
	seal     *keys.Archive
	dest     fs.Fs // where segments are read (file keys)
	scripts  bool  // an encrypted page opened from disk: sealed footage as scripts too (scriptcopy.go)
	ask      time.Duration
	expires  time.Time
	now      time.Time
	warnings []string
}

func newLinker(o *Options, page bool) (*linker, error) {
	l := &linker{now: o.now(), relative: o.Relative || o.Seal != nil, seal: o.Seal, dest: o.Dest, scripts: o.Relative && o.Seal != nil}
	if o.Seal != nil && !page {
		return nil, errors.New(sealedWhy)
	}
	if o.Relative {
		return l, nil
	}
	b, err := openBackend(o.Dest, page, o.Seal != nil)
	if err != nil {
		return nil, err
	}
	if l.relative { // public, unsigned: no expiry
		l.b = b
		return l, nil
	}
	var warning string
	l.b = b
	l.ask, l.expires, warning = b.expiry(o.expire(), l.now)
	if warning != "" {
		l.warnings = append(l.warnings, warning)
	}
	return l, nil
}

// link is the link of one file relative to the archive root; from is the
// folder a relative link starts in (the share's own).
func (l *linker) link(ctx context.Context, remote, from string, old *Link) (string, time.Time, error) {
	if l.relative {
		return relativeURL(from, remote), time.Time{}, nil
	}
	if old != nil && old.URL != "" && stillGood(old.Expires, l.expires, l.now) {
		return old.URL, old.Expires, nil
	}
	u, err := operations.PublicLink(ctx, l.b.f, remote, fs.Duration(l.ask), false)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("link for %s: %w", remote, redact.Error(err))
	}
	return u, l.expires, nil
}

// footage links each segment, oldest first.
func (l *linker) footage(ctx context.Context, segs []archive.Segment, from string, reuse map[string]Link) ([]Link, error) {
	endAt := ends(segs)
	links := make([]Link, 0, len(segs))
	for i, s := range segs {
		k := Link{Start: s.Start, End: endAt[i], Path: s.Path, Size: s.Size}
		old := reused(reuse, s.Path)
		if err := l.fill(ctx, &k, s, path.Base(s.Path), from, old); err != nil {
			return nil, err
		}
		describe(ctx, &k, s, old, l.seal)
		links = append(links, k)
	}
	return links, nil
}

// reused is the link an earlier index had for p, or nil.
func reused(reuse map[string]Link, p string) *Link {
	if r, ok := reuse[p]; ok {
		return &r
	}
	return nil
}

// fill gives k its link and, in an encrypted archive, its file key (and a
// page on disk its script copy, named copyName).
func (l *linker) fill(ctx context.Context, k *Link, s archive.Segment, copyName, from string, old *Link) error {
	var err error
	if k.URL, k.Expires, err = l.link(ctx, s.Path, from, old); err != nil {
		return err
	}
	if k.FileKey, err = l.fileKey(ctx, s, old); err != nil {
		return err
	}
	if l.scripts && k.FileKey != "" {
		k.URL, err = l.scriptCopy(ctx, s, copyName, from, old)
	}
	return err
}

// fileKey is an encrypted archive's segment key, kept from the last index
// while the segment is the same size (a re-upload is sealed anew).
func (l *linker) fileKey(ctx context.Context, s archive.Segment, old *Link) (string, error) {
	if l.seal == nil {
		return "", nil
	}
	if old != nil && old.FileKey != "" && old.Size == s.Size {
		return old.FileKey, nil
	}
	return fileKey(ctx, l.dest, s.Path, l.seal)
}

// stillGood keeps an old link while it has at least half the lifetime a new
// one would get, so links in a live index never run out under the viewer.
func stillGood(old, fresh, now time.Time) bool {
	if old.IsZero() || fresh.IsZero() {
		return old.IsZero() == fresh.IsZero()
	}
	return old.Sub(now) >= fresh.Sub(now)/2
}

// relativeURL points from folder `from` to p, both relative to the
// archive root: the page works opened from disk or from any web server.
func relativeURL(from, p string) string {
	parts := strings.Split(p, "/")
	for i, part := range parts {
		parts[i] = url.PathEscape(part)
	}
	up := ""
	if from != "" {
		up = strings.Repeat("../", strings.Count(from, "/")+1)
	}
	return up + strings.Join(parts, "/")
}
