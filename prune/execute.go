package prune

import (
	"context"
	"errors"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/operations"

	"github.com/camshare/camshare/internal/archive"
)

// unitWorkers is how many units are pruned at once. Each runs up to
// --checkers (8) deletes of its own, as rclone's purge does, so up to 64
// small requests are in flight: a delete is all round trip, and rclone's
// pacer backs off if a remote says slow down. Measured with bench/prune.sh
// (S3): 4 units left the server idle between waves of purges.
const unitWorkers = 8

// tally collects what was deleted, from many goroutines.
type tally struct {
	mu   sync.Mutex
	res  Result
	days map[string]bool
	loc  func(archive.Segment) string
}

func (t *tally) deleted(seg archive.Segment) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.res.DeletedFiles++
	t.res.DeletedBytes += seg.Size
	t.days[t.loc(seg)] = true
	if t.res.Oldest.IsZero() || seg.Start.Before(t.res.Oldest) {
		t.res.Oldest = seg.Start
	}
	if seg.Start.After(t.res.Newest) {
		t.res.Newest = seg.Start
	}
}

func (t *tally) failed(what string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.res.Failed = append(t.res.Failed, what)
}

// execute carries the plan out; with DryRun it only counts.
func (p *plan) execute(ctx context.Context) Result {
	t := &tally{days: map[string]bool{}, loc: func(seg archive.Segment) string {
		return seg.Start.In(p.s.Location()).Format("2006-01-02")
	}}
	t.res.Failed = append(t.res.Failed, p.failed...)
	var wg sync.WaitGroup
	sem := make(chan struct{}, unitWorkers)
	for _, u := range p.units {
		if !u.listed {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			p.pruneUnit(ctx, u, t)
		}()
	}
	wg.Wait()
	sort.Strings(t.res.Failed)
	t.res.Days = len(t.days)
	return t.res
}

// pruneUnit removes a unit's doomed segments: with one purge when the unit
// holds nothing else, else one delete each, then the folders they leave
// empty.
func (p *plan) pruneUnit(ctx context.Context, u *unit, t *tally) {
	var doomed []archive.Segment
	for _, seg := range u.tree.Segments {
		if u.doomed[seg.Path] {
			doomed = append(doomed, seg)
		}
	}
	extras := p.doomedExtras(u)
	if p.purgeable(u, len(doomed), len(extras)) {
		if p.o.DryRun {
			for _, seg := range doomed {
				t.deleted(seg)
			}
			return
		}
		err := operations.Purge(ctx, p.o.Dest, u.dir)
		if err == nil {
			p.o.Log.Info("prune: purged folder", "dir", u.dir, "segments", len(doomed))
			for _, seg := range doomed {
				t.deleted(seg)
			}
			return
		}
		// Some of it may be gone already; what is left goes one by one
		// (a vanished file counts as deleted).
		p.o.Log.Warn("prune: purge failed, deleting file by file", "dir", u.dir, "err", err)
	}
	gone := p.deleteEach(ctx, doomed, t)
	p.deleteOwn(ctx, withSidecars(doomed, gone, extras), gone, t)
	if !p.o.DryRun {
		p.removeEmptyDirs(ctx, u, gone, t)
	}
}

// purgeable decides whether a unit may go in one purge, without looking at
// it again. A purge removes whatever is in the folder, so every object in
// it must be a doomed segment: a stray notes.txt or a kept segment anywhere
// below forbids it. The listing the plan was made from is that proof, and
// the cheapest one that is complete: listing only the day level would miss
// a stray inside an hour folder, and a name check per hour folder costs as
// much as listing it. It is one paged request per day on bucket remotes
// (ListR: 288 keys fit in one page), one per folder elsewhere, and prune
// needs it anyway to count and date what goes.
//
// Only folders wholly before purgeBefore are purged, so the one thing that
// can appear between the listing and the purge (a late upload of old
// footage by ship) is footage this run would delete anyway.
//
// Backends without a purge of their own (local, ftp) would have rclone
// list the folder again and delete file by file; deleting the listed
// files ourselves does the same with one listing fewer.
func (p *plan) purgeable(u *unit, doomed, extras int) bool {
	if u.dir == "" || p.o.Dest.Features().Purge == nil || len(u.tree.Strays) > 0 || doomed != len(u.tree.Segments) || extras != len(u.tree.Extras) {
		return false
	}
	return p.whollyBefore(u.end)
}

// doomedExtras are the unit's sidecars without a segment and timelapses
// that go.
func (p *plan) doomedExtras(u *unit) []fs.Object {
	var out []fs.Object
	for _, x := range u.tree.Extras {
		if u.doomed[x.Object.Remote()] {
			out = append(out, x.Object)
		}
	}
	return out
}

// withSidecars adds the sidecars of the segments that went to extras.
func withSidecars(doomed []archive.Segment, gone map[string]bool, extras []fs.Object) []fs.Object {
	for _, seg := range doomed {
		if seg.Sidecar != nil && gone[seg.Path] {
			extras = append(extras, seg.Sidecar)
		}
	}
	return extras
}

// deleteOwn deletes camshare's non-segment files (sidecars, timelapses),
// adding them to gone; they are not counted as footage.
func (p *plan) deleteOwn(ctx context.Context, objs []fs.Object, gone map[string]bool, t *tally) {
	if p.o.DryRun {
		return
	}
	var mu sync.Mutex
	inParallel(ctx, len(objs), func(i int) {
		if p.deleteOne(ctx, objs[i], objs[i].Remote(), t) {
			mu.Lock()
			gone[objs[i].Remote()] = true
			mu.Unlock()
		}
	})
}

// deleteEach deletes segments in parallel and returns the paths gone.
func (p *plan) deleteEach(ctx context.Context, segs []archive.Segment, t *tally) map[string]bool {
	gone := map[string]bool{}
	if p.o.DryRun {
		for _, seg := range segs {
			t.deleted(seg)
		}
		return gone
	}
	var mu sync.Mutex
	inParallel(ctx, len(segs), func(i int) {
		seg := segs[i]
		if p.deleteOne(ctx, seg.Object, seg.Path, t) {
			t.deleted(seg)
			mu.Lock()
			gone[seg.Path] = true
			mu.Unlock()
		}
	})
	return gone
}

// deleteOne deletes one object; one already gone counts as deleted.
func (p *plan) deleteOne(ctx context.Context, o fs.Object, path string, t *tally) bool {
	err := operations.DeleteFile(ctx, o)
	if err != nil && !errors.Is(err, fs.ErrorObjectNotFound) {
		p.o.Log.Error("prune: delete failed", "path", path, "err", err)
		t.failed(path)
		return false
	}
	return true
}

// removeEmptyDirs removes the unit's folders that hold nothing any more,
// deepest first: those something was deleted from, and layout folders
// wholly before the cut-off that were empty already. Folders that are not
// layout folders are left alone unless deleting emptied them.
func (p *plan) removeEmptyDirs(ctx context.Context, u *unit, gone map[string]bool, t *tally) {
	if u.dir == "" {
		return // never the archive root (on a bucket root that is the bucket)
	}
	kept := map[string]bool{}    // folders with something left below
	emptied := map[string]bool{} // folders something was deleted from
	mark := func(m map[string]bool, p string) {
		for d := path.Dir(p); d != "." && d != ""; d = path.Dir(d) {
			m[d] = true
		}
	}
	for _, seg := range u.tree.Segments {
		if gone[seg.Path] {
			mark(emptied, seg.Path)
		} else {
			mark(kept, seg.Path)
		}
	}
	for _, o := range u.tree.Strays {
		mark(kept, o.Remote())
	}
	for _, x := range u.tree.Extras {
		if gone[x.Object.Remote()] {
			mark(emptied, x.Object.Remote())
		} else {
			mark(kept, x.Object.Remote())
		}
	}
	for _, seg := range u.tree.Segments {
		if sc := seg.Sidecar; sc != nil && !gone[sc.Remote()] {
			mark(kept, sc.Remote())
		}
	}
	dirs := append([]string{u.dir}, u.tree.Dirs...)
	// Deepest first, so a day folder is tried after its hours.
	sort.Slice(dirs, func(i, j int) bool { return strings.Count(dirs[i], "/") > strings.Count(dirs[j], "/") })
	for _, d := range dirs {
		if kept[d] || !emptied[d] && !p.oldLayoutDir(d) {
			mark(kept, d+"/x") // left in place, so its parents are not empty
			continue
		}
		err := operations.Rmdir(ctx, p.o.Dest, d)
		if err != nil && !errors.Is(err, fs.ErrorDirNotFound) {
			p.o.Log.Error("prune: removing empty folder failed", "dir", d, "err", err)
			t.failed(d + "/")
			mark(kept, d+"/x")
		}
	}
}

// oldLayoutDir reports whether d is a layout folder wholly before the
// purge line (an empty one is debris of earlier runs or of a torn upload).
func (p *plan) oldLayoutDir(d string) bool {
	_, end, ok := p.s.DirSpan(d)
	return ok && p.whollyBefore(end)
}
