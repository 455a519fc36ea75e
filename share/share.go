package share

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/archive"
	"github.com/camshare/camshare/internal/keys"
)

// Links makes one link per selected segment, oldest first (share without
// --page). Warnings (expiry capped or ignored) are for stderr.
func Links(ctx context.Context, o Options) ([]Link, []string, error) {
	l, err := newLinker(&o, false) // a remote without links is refused before listing
	if err != nil {
		return nil, nil, err
	}
	found, err := selectFootage(ctx, &o)
	if err != nil {
		return nil, nil, err
	}
	links, err := l.footage(ctx, found.Segments, "", nil)
	return links, l.warnings, err
}

// Published is what Publish made.
type Published struct {
	ID       string
	URL      string    // the link to hand out (a local path for a page on disk, o.Out when written there)
	Expires  time.Time // when URL stops working; zero: it does not expire
	Segments int
	Live     bool
	Warnings []string
}

var publishMu sync.Mutex // uploads in one process refresh shares one at a time

// Publish makes a new share (or renews o.ID): a page and its own index in
// share/ID/, for exactly o's selection. The one way through share:
//
//	select footage → link it → build the index → upload the index →
//	render the page → upload the page
func Publish(ctx context.Context, o Options) (*Published, error) {
	publishMu.Lock()
	defer publishMu.Unlock()
	l, err := newLinker(&o, true) // a remote without links is refused before listing
	if err != nil {
		return nil, err
	}
	old, err := existing(ctx, &o)
	if err != nil {
		return nil, err
	}
	found, err := selectFootage(ctx, &o)
	if err != nil {
		return nil, err
	}
	if o.Seal == nil {
		if err := refuseSealed(ctx, &o, found.Segments[len(found.Segments)-1]); err != nil {
			return nil, err
		}
	}
	return publish(ctx, &o, l, old, found, true)
}

// existing is the record of the share o renews; nil for a new share.
func existing(ctx context.Context, o *Options) (*record, error) {
	if o.ID == "" {
		return nil, nil
	}
	if !validID(o.ID) {
		return nil, ErrUnknownShare
	}
	return readRecord(ctx, o.Dest, o.ID, o.Seal)
}

// publish runs the steps after selection. withPage false rewrites only the
// index (a refresh: the page's link stays).
func publish(ctx context.Context, o *Options, l *linker, old *record, found archive.Listing, withPage bool) (*Published, error) {
	now := l.now
	var err error
	segs := found.Segments
	r := recordOf(o, o.ID, now)
	reuse := map[string]Link{}
	if old != nil {
		r.ID, r.Created, r.Docs, r.PageExpires, r.PageURL, r.LinkKey = old.ID, old.Created, old.Docs, old.PageExpires, old.PageURL, old.LinkKey
		for _, k := range slices.Concat(old.Segments, old.Timelapses) {
			reuse[k.Path] = k
		}
	}
	if r.ID == "" {
		r.ID = newID()
	}
	if o.Seal != nil && r.LinkKey == "" {
		r.LinkKey = keys.Encode(newLinkKey())
	}
	if withPage {
		r.PageExpires, r.Docs = l.expires, nil // new links all round: they last as long as the page's
		if o.Seal == nil {
			reuse = nil // (an encrypted archive's links never expire; its file keys are kept)
		}
	}
	dir := shareDir(r.ID)
	if r.Segments, err = l.footage(ctx, segs, dir, reuse); err != nil {
		return nil, err
	}
	if r.Timelapses, err = l.timelapses(ctx, dayLapses(found.Timelapses, r.Segments, o.scheme(), o.Camera), dir, reuse); err != nil {
		return nil, err
	}
	res := &Published{ID: r.ID, Expires: r.PageExpires, Segments: len(segs), Live: o.live(), Warnings: l.warnings}
	if fs.GetConfig(ctx).DryRun && o.Out == "" {
		res.Warnings = append(res.Warnings, fmt.Sprintf("dry run: the page and its index not uploaded (%d segments selected)", len(segs)))
		return res, nil
	}
	ix := buildIndex(r, res.Live, now)
	if res.Live {
		ix.latest.LiveViews = liveViews(ctx, o, r)
	}
	latestURL, err := uploadIndex(ctx, o, l, r, ix)
	if err != nil || !withPage {
		return res, err
	}
	html, err := renderPage(r.Title, pageConfig{Latest: &ix.latest, LatestURL: latestURL, Script: o.Relative, Relative: o.Relative, Sealed: o.Seal != nil})
	if err != nil {
		return nil, err
	}
	if o.Out != "" {
		res.URL = o.Out
		return res, os.WriteFile(o.Out, html, 0o644)
	}
	if res.URL, err = uploadPage(ctx, o, l, r, html); err != nil {
		return nil, err
	}
	r.PageURL = res.URL
	return res, writeRecord(ctx, o.Dest, r, o.Seal)
}

// Refresh renews one share's index from its own record: never wider than
// it was made. With o.Added it merges those segments into what the index
// knew (no listing); without, it lists the selection again, so the index
// converges on what is on the remote. A fixed selection that has ended is
// left alone.
func Refresh(ctx context.Context, o Options, id string) error {
	publishMu.Lock()
	defer publishMu.Unlock()
	old, err := readRecord(ctx, o.Dest, id, o.Seal)
	if err != nil {
		return err
	}
	if old == nil {
		return ErrUnknownShare
	}
	added := o.Added
	o = old.options(o)
	return refresh(ctx, &o, old, added)
}

func refresh(ctx context.Context, o *Options, old *record, added []archive.Segment) error {
	var found archive.Listing
	if len(added) > 0 {
		found = archive.Listing{Segments: inSpan(o, merge(old.Segments, added)), Timelapses: lapsesOf(old.Timelapses)}
	} else {
		from, to := o.span()
		var err error
		if found, err = archive.List(ctx, o.Dest, o.scheme(), from, to); err != nil && !errors.Is(err, fs.ErrorDirNotFound) {
			return err
		}
	}
	l, err := newLinker(o, true)
	if err != nil {
		return err
	}
	_, err = publish(ctx, o, l, old, found, false)
	return err
}
