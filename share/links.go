package share

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/operations"

	"github.com/camshare/camshare/internal/archive"
	"github.com/camshare/camshare/internal/redact"
)

// Links makes one link per selected segment, oldest first. Warnings (expiry
// capped or ignored) are returned for the caller to print on stderr.
// Backends without links (local, sftp, webdav, ftp, smb) and crypt remotes
// return a *NoLinksError saying why and what to use.
func Links(ctx context.Context, o Options) ([]Link, []string, error) {
	segs, err := selectSegments(ctx, &o)
	if err != nil {
		return nil, nil, err
	}
	if o.Relative {
		return relativeLinks(segs), nil, nil
	}
	backend, err := checkLinks(o.Dest)
	if err != nil {
		return nil, nil, err
	}
	ask, expires, warning := expiryFor(backend, o.expire(), o.now())
	var warnings []string
	if warning != "" {
		warnings = append(warnings, warning)
	}
	links, err := makeLinks(ctx, o.Dest, segs, ask, expires, nil, o.now())
	return links, warnings, err
}

// makeLinks asks the backend for each segment's link, reusing the links of
// an earlier index that will outlive the next refresh (on Drive and friends
// every PublicLink call is an API round trip, on S3 a HEAD request).
func makeLinks(ctx context.Context, f fs.Fs, segs []archive.Segment, ask time.Duration, expires time.Time, reuse map[string]Link, now time.Time) ([]Link, error) {
	endAt := ends(segs)
	links := make([]Link, 0, len(segs))
	for i, s := range segs {
		l := Link{Start: s.Start, End: endAt[i], Path: s.Path, Size: s.Size}
		if old, ok := reuse[s.Path]; ok && old.URL != "" && stillGood(old.Expires, expires, now) {
			l.URL, l.Expires = old.URL, old.Expires
		} else {
			u, err := operations.PublicLink(ctx, f, s.Path, fs.Duration(ask), false)
			if err != nil {
				return nil, fmt.Errorf("link for %s: %w", s.Path, redact.Error(err))
			}
			l.URL, l.Expires = u, expires
		}
		links = append(links, l)
	}
	return links, nil
}

// stillGood keeps an old link while it has at least half the lifetime a new
// one would get, so links in a live index never run out under the viewer.
func stillGood(old, fresh, now time.Time) bool {
	if old.IsZero() || fresh.IsZero() {
		return old.IsZero() == fresh.IsZero()
	}
	return old.Sub(now) >= fresh.Sub(now)/2
}

// relativeLinks point from FOLDER/index.html to each segment: the page
// works opened from disk, or served by any static web server.
func relativeLinks(segs []archive.Segment) []Link {
	endAt := ends(segs)
	links := make([]Link, len(segs))
	for i, s := range segs {
		links[i] = Link{Start: s.Start, End: endAt[i], Path: s.Path, Size: s.Size, URL: relativeURL(s.Path)}
	}
	return links
}

func relativeURL(p string) string {
	parts := strings.Split(p, "/")
	for i, part := range parts {
		parts[i] = url.PathEscape(part)
	}
	return strings.Join(parts, "/")
}
