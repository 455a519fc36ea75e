package prune

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/archive"
	"github.com/camshare/camshare/internal/layout"
)

// A unit is one top-level folder of the layout (a day, by default): the
// thing a purge removes in one call. A flat archive is one unit, "", that
// is never purged.
type unit struct {
	dir        string
	start, end time.Time // zone-less span, see layout.MaxZoneSkew
	listed     bool
	tree       archive.Tree
	doomed     map[string]bool // by path
}

// plan is one prune run: what was listed and what is to go.
type plan struct {
	o      Options
	s      *layout.Scheme
	cutoff time.Time // zero: no age limit
	// activeCut: segments between it and cutoff with activity (or unknown
	// activity) are kept; zero: KeepActive unset.
	activeCut  time.Time
	keptActive int
	coldCut    time.Time // zero: no cold tier
	units      []*unit   // oldest first
	// purgeBefore: every segment older than this is doomed (the cut-off,
	// or the oldest segment kept if the size cap reaches further).
	purgeBefore time.Time
	failed      []string
}

// list lists the root and then only the units the rules need:
//   - with a retention, units whose span (widened by the largest zone
//     offset) starts before the cut-off: the old ones (to check they hold
//     nothing but footage before purging them) and the boundary ones;
//   - with --min-keep, the newest units until they hold N segments;
//   - with --max-size, every unit (the total comes from a listing).
//
// Units wholly newer than the cut-off are not even listed.
func (p *plan) list(ctx context.Context) error {
	if p.s.Depth() == 0 {
		// Flat folder: segments sit in the root; one List, subfolders are
		// not ours and are never entered.
		segs, err := archive.SegmentsIn(ctx, p.o.Dest, p.s, "")
		if err != nil {
			return fmt.Errorf("list: %w", err)
		}
		p.units = []*unit{{listed: true, tree: archive.Tree{Segments: segs}}}
		return nil
	}
	folders, err := archive.Folders(ctx, p.o.Dest, p.s, "")
	if err != nil {
		return fmt.Errorf("list: %w", err)
	}
	for _, f := range folders {
		p.units = append(p.units, &unit{dir: f.Path, start: f.Start, end: f.End})
	}
	if p.o.MinKeep > 0 {
		if err := p.listNewest(ctx); err != nil {
			return err
		}
	}
	var want []*unit
	for _, u := range p.units {
		if !u.listed && (p.o.MaxSize > 0 || p.mayHoldOld(u.start) || p.mayBeWarm(u.start)) {
			want = append(want, u)
		}
	}
	errs := p.listUnits(ctx, want)
	for i, err := range errs {
		if err == nil {
			continue
		}
		// With a size cap or a minimum to keep, a unit we could not see
		// makes every decision unsafe; with an age limit alone the other
		// units are still decided correctly, so go on without it.
		if p.o.MaxSize > 0 || p.o.MinKeep > 0 {
			return fmt.Errorf("list %s: %w", want[i].dir, err)
		}
		p.o.Log.Error("prune: cannot list folder, leaving it", "dir", want[i].dir, "err", err)
		p.failed = append(p.failed, want[i].dir)
	}
	return nil
}

// mayHoldOld reports whether a folder starting at start can hold a segment
// older than the cut-off, whatever zone its names were written in.
func (p *plan) mayHoldOld(start time.Time) bool {
	return !p.cutoff.IsZero() && start.Add(-layout.MaxZoneSkew).Before(p.cutoff)
}

// mayBeWarm reports whether a folder starting at start can hold a segment
// old enough for the cold tier.
func (p *plan) mayBeWarm(start time.Time) bool {
	return !p.coldCut.IsZero() && start.Add(-layout.MaxZoneSkew).Before(p.coldCut)
}

// whollyBefore reports whether everything a folder ending at end can hold
// is older than purgeBefore, whatever zone its names were written in.
func (p *plan) whollyBefore(end time.Time) bool {
	return !p.purgeBefore.IsZero() && !end.Add(layout.MaxZoneSkew).After(p.purgeBefore)
}

// listNewest lists units newest first until they hold MinKeep segments and
// no older unit can hold one newer than the MinKeep-th newest.
func (p *plan) listNewest(ctx context.Context) error {
	var starts []time.Time
	for i := len(p.units) - 1; i >= 0; i-- {
		u := p.units[i]
		if errs := p.listUnits(ctx, []*unit{u}); errs[0] != nil {
			return fmt.Errorf("list %s: %w", u.dir, errs[0])
		}
		for _, seg := range u.tree.Segments {
			starts = append(starts, seg.Start)
		}
		if len(starts) < p.o.MinKeep {
			continue
		}
		sort.Slice(starts, func(a, b int) bool { return starts[a].After(starts[b]) })
		nth := starts[p.o.MinKeep-1]
		if i == 0 || !p.units[i-1].end.Add(layout.MaxZoneSkew).After(nth) {
			return nil
		}
	}
	return nil
}

// listUnits lists units in parallel (as many as rclone's --checkers).
func (p *plan) listUnits(ctx context.Context, us []*unit) []error {
	errs := make([]error, len(us))
	inParallel(ctx, len(us), func(i int) {
		t, err := archive.ListTree(ctx, p.o.Dest, p.s, us[i].dir)
		if err != nil {
			errs[i] = err
			return
		}
		us[i].tree, us[i].listed = t, true
	})
	return errs
}

// inParallel calls do(0) … do(n-1), as many at once as rclone's --checkers
// (the number of parallel requests a user sets for every rclone listing).
func inParallel(ctx context.Context, n int, do func(i int)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(1, fs.GetConfig(ctx).Checkers))
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			do(i)
		}()
	}
	wg.Wait()
}

// doom marks the segments to delete: older than the cut-off, then oldest
// first while the total is over the cap; never the newest MinKeep.
func (p *plan) doom(ctx context.Context) {
	type ref struct {
		u   *unit
		seg archive.Segment
	}
	var all []ref
	for _, u := range p.units {
		u.doomed = map[string]bool{}
		for _, seg := range u.tree.Segments {
			all = append(all, ref{u, seg})
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i].seg, all[j].seg
		if !a.Start.Equal(b.Start) {
			return a.Start.Before(b.Start)
		}
		return a.Path < b.Path
	})
	deletable := len(all) - p.o.MinKeep
	var total int64
	for _, r := range all {
		total += r.seg.Size
	}
	for i, r := range all {
		if i >= deletable {
			break
		}
		if !p.cutoff.IsZero() && r.seg.Start.Before(p.cutoff) && !p.keepForActivity(ctx, r.seg) {
			r.u.doomed[r.seg.Path] = true
			total -= r.seg.Size
		}
	}
	if p.o.MaxSize > 0 {
		for i, r := range all {
			if i >= deletable || total <= p.o.MaxSize {
				break
			}
			if !r.u.doomed[r.seg.Path] {
				r.u.doomed[r.seg.Path] = true
				total -= r.seg.Size
			}
		}
	}
	p.purgeBefore = p.cutoff
	for _, r := range all {
		if !r.u.doomed[r.seg.Path] {
			if r.seg.Start.After(p.purgeBefore) {
				p.purgeBefore = r.seg.Start
			}
			break
		}
	}
	p.doomExtras()
}

// doomExtras marks the unit's own non-segment files past the cut-off: a
// sidecar whose segment is gone, a timelapse whose whole day is. A doomed
// segment's sidecar goes with it (pruneUnit).
func (p *plan) doomExtras() {
	if p.cutoff.IsZero() {
		return
	}
	for _, u := range p.units {
		for _, x := range u.tree.Extras {
			if x.End.Before(p.cutoff) && (p.activeCut.IsZero() || x.End.Before(p.activeCut) || x.Start.Equal(x.End)) {
				u.doomed[x.Object.Remote()] = true
			}
		}
	}
}
