package archive

import (
	"context"
	"errors"
	"path"
	"strings"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/layout"
)

// Tree is everything below one folder of the archive: the segments, every
// other object (a stray notes.txt, index.html, a segment at the wrong
// depth or in a folder that is not a layout folder) and every folder.
// Code that deletes whole folders needs all three: a folder may only go
// when nothing but footage is in it.
type Tree struct {
	Segments []Segment
	// Extras are camshare's own files that are not segments, each with the
	// time it belongs to: a sidecar whose segment is gone (its segment's
	// start) and a day's timelapse (the day's start). Segments' own
	// sidecars are in Segment.Sidecar, not here.
	Extras []Extra
	Strays []fs.Object
	Dirs   []string // every folder below the top one, seen or implied by an object's path
}

// Extra is one of camshare's files that is not a segment.
type Extra struct {
	Object fs.Object
	Start  time.Time
	End    time.Time // the end of the span it covers (a timelapse: its day's end)

	segment string // a sidecar's segment path
}

// ListTree lists everything below dir ("" = the archive root), however
// deep. It makes the fewest calls the backend allows: one recursive
// listing where the backend has one (ListR: S3, B2, GCS, Swift and Azure
// return a whole prefix in pages of up to 1000 keys), else one List per
// folder. A missing dir is an empty tree.
func ListTree(ctx context.Context, f fs.Fs, s *layout.Scheme, dir string) (Tree, error) {
	var t Tree
	dirs := map[string]bool{}
	add := func(e fs.DirEntry) {
		switch e := e.(type) {
		case fs.Object:
			t.add(s, e)
			for d := path.Dir(e.Remote()); d != "." && d != dir && strings.HasPrefix(d, dir); d = path.Dir(d) {
				dirs[d] = true
			}
		case fs.Directory:
			dirs[e.Remote()] = true
		}
	}
	var err error
	if listR := f.Features().ListR; listR != nil {
		err = listR(ctx, dir, func(entries fs.DirEntries) error {
			for _, e := range entries {
				add(e)
			}
			return nil
		})
	} else {
		err = listEach(ctx, f, dir, add)
	}
	if errors.Is(err, fs.ErrorDirNotFound) {
		return Tree{}, nil
	}
	if err != nil {
		return Tree{}, err
	}
	t.pairSidecars()
	delete(dirs, dir)
	for d := range dirs {
		t.Dirs = append(t.Dirs, d)
	}
	Sort(t.Segments)
	return t, nil
}

// listEach walks dir with one List per folder, every folder included.
func listEach(ctx context.Context, f fs.Fs, dir string, add func(fs.DirEntry)) error {
	entries, err := f.List(ctx, dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		add(e)
		if d, ok := e.(fs.Directory); ok {
			if err := listEach(ctx, f, d.Remote(), add); err != nil && !errors.Is(err, fs.ErrorDirNotFound) {
				return err
			}
		}
	}
	return nil
}

// add files an object as a segment only where the layout puts segments:
// at its full depth, below folders that all parse, with a name that
// parses (the same rule walk follows); sidecars and timelapses where the
// layout puts them are extras until pairSidecars.
func (t *Tree) add(s *layout.Scheme, o fs.Object) {
	if start, ok := s.SegmentAt(o.Remote()); ok {
		t.Segments = append(t.Segments, Segment{Path: o.Remote(), Start: start, Size: o.Size(), Object: o})
		return
	}
	if seg, start, ok := s.SidecarAt(o.Remote()); ok {
		t.Extras = append(t.Extras, Extra{Object: o, Start: start, End: start, segment: seg})
		return
	}
	if day, ok := s.TimelapseAt(o.Remote()); ok {
		t.Extras = append(t.Extras, Extra{Object: o, Start: day, End: day.AddDate(0, 0, 1)})
		return
	}
	t.Strays = append(t.Strays, o)
}

// pairSidecars moves each sidecar whose segment was listed onto it.
func (t *Tree) pairSidecars() {
	bySeg := map[string]int{}
	for i, seg := range t.Segments {
		bySeg[seg.Path] = i
	}
	kept := t.Extras[:0]
	for _, x := range t.Extras {
		if i, ok := bySeg[x.segment]; ok && x.segment != "" {
			t.Segments[i].Sidecar = x.Object
			continue
		}
		kept = append(kept, x)
	}
	t.Extras = kept
}
