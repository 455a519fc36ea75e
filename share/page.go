package share

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"time"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/operations"

	"github.com/camshare/camshare/internal/redact"
)

//go:embed page/page.html page/page.css page/page.js
var pageFiles embed.FS

var pageTemplate = template.Must(template.ParseFS(pageFiles, "page/page.html"))

// DefaultPoll is how often a live page re-reads its index.
const DefaultPoll = 15 * time.Second

// pageConfig is what the page's script starts from (CAMSHARE).
type pageConfig struct {
	Index    *index `json:"index"`    // the selection when the page was made: works with no index reachable
	IndexURL string `json:"indexURL"` // link to index.json, fetched with cache: "no-store"
	IndexJS  string `json:"indexJS"`  // relative index.js for pages opened from disk
	PollMS   int64  `json:"pollMs"`
}

// WritePage writes the self-contained page (FOLDER/index.html, or o.Out)
// and its live index beside the footage, and returns the page's own share
// link (its local path when Relative or written to o.Out). The page plays
// the selection in one <video>, newest first; while the selection is open
// (--last, or no --to) it polls the index and follows new segments.
func WritePage(ctx context.Context, o Options) (pageURL string, warnings []string, err error) {
	if o.Dest == nil {
		return "", nil, fmt.Errorf("no archive remote given")
	}
	refreshMu.Lock()
	defer refreshMu.Unlock()
	old, err := readIndex(ctx, &o)
	if err != nil {
		o.log().Warn("share: ignoring unreadable old index", "err", err)
		old = nil
	}
	ix, warnings, err := buildIndex(ctx, &o, old)
	if err != nil {
		return "", nil, err
	}
	backend := backendName(o.Dest)
	if !o.Relative && policies[backend].viewerLink {
		warnings = append(warnings, fmt.Sprintf("%s links open %s's own viewer, not the video file: the page can't play them and may show as a download; use the per-segment links, or an S3-compatible remote for the page", backend, backend))
	}
	if err := writeIndex(ctx, &o, ix); err != nil {
		return "", warnings, err
	}
	dry := fs.GetConfig(ctx).DryRun
	if dry && o.Out == "" {
		return "", append(warnings, fmt.Sprintf("dry run: %s and its index not uploaded (%d segments selected)", PageName, len(ix.Segments))), nil
	}
	cfg := pageConfig{Index: ix, PollMS: int64(o.poll() / time.Millisecond)}
	if o.Relative {
		cfg.IndexJS = IndexJSName
	} else if ix.Live && !dry { // a dry run uploaded no index to link to
		ask, _, _ := expiryFor(backend, o.expire(), o.now())
		if cfg.IndexURL, err = link(ctx, o.Dest, IndexName, ask); err != nil {
			return "", warnings, err
		}
	}
	html, err := renderPage(o.Title, cfg)
	if err != nil {
		return "", warnings, err
	}
	if o.Out != "" {
		if err := os.WriteFile(o.Out, html, 0o644); err != nil {
			return "", warnings, err
		}
		return o.Out, warnings, nil
	}
	if err := put(ctx, o.Dest, PageName, html, "text/html; charset=utf-8"); err != nil {
		return "", warnings, err
	}
	if o.Relative {
		if o.Dest.Features().IsLocal {
			return filepath.Join(filepath.FromSlash(o.Dest.Root()), PageName), warnings, nil
		}
		return fs.ConfigString(o.Dest) + "/" + PageName, warnings, nil
	}
	ask, _, _ := expiryFor(backend, o.expire(), o.now())
	pageURL, err = link(ctx, o.Dest, PageName, ask)
	return pageURL, warnings, err
}

func link(ctx context.Context, f fs.Fs, remote string, expire time.Duration) (string, error) {
	u, err := operations.PublicLink(ctx, f, remote, fs.Duration(expire), false)
	if err != nil {
		return "", fmt.Errorf("link for %s: %w", remote, redact.Error(err))
	}
	return u, nil
}

func renderPage(title string, cfg pageConfig) ([]byte, error) {
	css, err := pageFiles.ReadFile("page/page.css")
	if err != nil {
		return nil, err
	}
	js, err := pageFiles.ReadFile("page/page.js")
	if err != nil {
		return nil, err
	}
	if title == "" {
		title = "Camera"
	}
	var buf bytes.Buffer
	err = pageTemplate.Execute(&buf, map[string]any{
		"Title":  title,
		"CSS":    template.CSS(css),
		"JS":     template.JS(js),
		"Config": cfg,
	})
	return buf.Bytes(), err
}

func (o *Options) poll() time.Duration {
	if o.Poll > 0 {
		return o.Poll
	}
	return DefaultPoll
}
