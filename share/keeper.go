package share

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/archive"
	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/layout"
)

// DefaultRelist is how often a Keeper lists the remote again, so every live
// index converges on what is there (segments shipped by another process,
// or while nothing refreshed the index).
const DefaultRelist = time.Hour

// Keeper keeps every live share of one archive folder fresh: the rules
// `ship` and `run` both follow. After each upload (Note) it merges the new
// segment into every live share's index (no listing); at start and every
// Relist it lists each selection again; with Own it keeps one page of its
// own (run's live page), made once footage exists and renewed before its
// link expires.
type Keeper struct {
	Dest   fs.Fs
	Scheme *layout.Scheme
	Log    *slog.Logger
	Seal   *keys.Archive // the archive key of an encrypted archive (its shares are sealed)
	Relist time.Duration // 0 = DefaultRelist
	// Own, when set, is the page this keeper owns (Owner must be set): made
	// at the first footage, found again after a restart, renewed (a new
	// link, same page) before it expires. OnPage gets its link each time.
	Own    *Options
	OnPage func(p *Published)
	Now    func() time.Time

	mu      sync.Mutex
	pending []archive.Segment
	wake    chan struct{}
	once    sync.Once
	last    time.Time // last relist
	off     bool      // the remote can't have pages: said once
}

func (k *Keeper) init() {
	k.once.Do(func() { k.wake = make(chan struct{}, 1) })
}

func (k *Keeper) now() time.Time {
	if k.Now != nil {
		return k.Now()
	}
	return time.Now()
}

func (k *Keeper) log() *slog.Logger {
	if k.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return k.Log
}

// Note records a segment that just reached the remote; Run picks it up.
// Never blocks: many uploads during one refresh cause one more refresh.
func (k *Keeper) Note(s archive.Segment) {
	k.init()
	k.mu.Lock()
	k.pending = append(k.pending, s)
	k.mu.Unlock()
	select {
	case k.wake <- struct{}{}:
	default:
	}
}

// Run refreshes until ctx ends: a relist at start, merges after uploads,
// and a relist (and the own page's renewal check) every so often.
func (k *Keeper) Run(ctx context.Context) {
	k.init()
	every := k.Relist
	if every <= 0 {
		every = DefaultRelist
	}
	check := min(every, 5*time.Minute)
	if k.Own != nil {
		check = min(check, max(k.Own.expire()/8, time.Second))
	}
	t := time.NewTicker(check)
	defer t.Stop()
	k.Flush(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case <-k.wake:
			k.Flush(ctx)
		case <-t.C:
			k.Flush(ctx)
		}
	}
}

// Flush does now what Run would do next: merge what was noted, relist when
// due, keep the own page.
func (k *Keeper) Flush(ctx context.Context) {
	k.init()
	k.mu.Lock()
	added := k.pending
	k.pending = nil
	off := k.off
	k.mu.Unlock()
	if off {
		return
	}
	relist := k.last.IsZero() || k.now().Sub(k.last) >= k.relist()
	if relist || len(added) > 0 {
		var merge []archive.Segment // nil: list each selection again
		if !relist {
			merge = added
		}
		err := k.refreshAll(ctx, merge)
		if err != nil { // try again next time: keep what was noted, relist if due
			k.mu.Lock()
			k.pending = append(added, k.pending...)
			k.mu.Unlock()
		} else if relist {
			k.last = k.now()
		}
		k.check(ctx, err)
	}
	if k.Own != nil {
		k.check(ctx, k.keepOwn(ctx))
	}
}

func (k *Keeper) relist() time.Duration {
	if k.Relist > 0 {
		return k.Relist
	}
	return DefaultRelist
}

// check logs an error once it is worth saying; a remote that can't have
// pages turns the keeper off.
func (k *Keeper) check(ctx context.Context, err error) {
	var noLinks *NoLinksError
	var refused *PageRefusedError
	var empty *EmptyError
	var sealedPage *SealedPageError
	switch {
	case err == nil, ctx.Err() != nil, errors.As(err, &empty):
	case errors.As(err, &noLinks), errors.As(err, &refused), errors.As(err, &sealedPage):
		k.mu.Lock()
		k.off = true
		k.mu.Unlock()
		k.log().Warn("live pages are off for this remote", "why", err.Error())
	default:
		k.log().Warn("refreshing live pages", "err", err.Error())
	}
}

// refreshAll renews every live share's index; added nil means list.
func (k *Keeper) refreshAll(ctx context.Context, added []archive.Segment) error {
	publishMu.Lock()
	defer publishMu.Unlock()
	recs, err := records(ctx, k.Dest, k.Seal)
	if err != nil {
		return err
	}
	var first error
	for _, r := range recs {
		if r.locked {
			continue
		}
		o := r.options(Options{Dest: k.Dest, Scheme: k.Scheme, Log: k.Log, Now: k.Now, Seal: k.Seal})
		if k.Own != nil && r.Owner == k.Own.Owner {
			o.OtherLive = k.Own.OtherLive // the own page's picker, renewed with it
		}
		if !o.live() && !r.endedAfter(r.Generated) {
			continue // a selection that ended before the last refresh never changes
		}
		if err := refresh(ctx, &o, r, added); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// endedAfter says the fixed selection ended after t (the last refresh
// did not yet see all of it).
func (r *record) endedAfter(t time.Time) bool {
	return r.To != nil && r.To.After(t)
}

// keepOwn makes the own page once footage exists, finds it again after a
// restart, and renews it when a quarter of its link's life is left.
func (k *Keeper) keepOwn(ctx context.Context) error {
	publishMu.Lock()
	recs, err := records(ctx, k.Dest, k.Seal)
	publishMu.Unlock()
	if err != nil {
		return err
	}
	o := *k.Own
	o.Dest, o.Scheme, o.Log, o.Now, o.Seal = k.Dest, k.Scheme, k.Log, k.Now, k.Seal
	var mine *record
	for _, r := range recs {
		if !r.locked && r.Owner == o.Owner && (mine == nil || r.Created.After(mine.Created)) {
			mine = r
		}
	}
	if mine != nil {
		o.ID = mine.ID
		left := mine.PageExpires.Sub(k.now())
		if mine.PageURL != "" && mine.same(&o) && (mine.PageExpires.IsZero() || left > o.expire()/4) {
			k.announce(&Published{ID: mine.ID, URL: mine.PageURL, Expires: mine.PageExpires, Segments: len(mine.Segments), Live: true})
			return nil
		}
	}
	p, err := Publish(ctx, o)
	if err != nil {
		return err
	}
	for _, w := range p.Warnings {
		k.log().Warn("live page", "warning", w)
	}
	k.log().Info("live page", "url", withoutKey(p.URL), "works_until", p.Expires)
	k.announce(p)
	return nil
}

// same says the record was made with o's selection and settings.
func (r *record) same(o *Options) bool {
	want := recordOf(o, r.ID, r.Created)
	return want.WindowSeconds == r.WindowSeconds && want.ExpireSeconds == r.ExpireSeconds && want.Title == r.Title && want.PollMS == r.PollMS
}

func (k *Keeper) announce(p *Published) {
	if k.OnPage != nil {
		k.OnPage(p)
	}
}

// withoutKey is a link fit for a log: an encrypted page's key (the
// fragment) is left out; camshare status shows the whole link.
func withoutKey(u string) string {
	if i := strings.Index(u, "#k="); i >= 0 {
		return u[:i] + "#k=… (the key: see camshare status)"
	}
	return u
}
