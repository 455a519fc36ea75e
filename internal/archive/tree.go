package archive

import (
	"context"
	"errors"
	"path"
	"strings"

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
	Strays   []fs.Object
	Dirs     []string // every folder below the top one, seen or implied by an object's path
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
// parses (the same rule walk follows).
func (t *Tree) add(s *layout.Scheme, o fs.Object) {
	if start, ok := s.SegmentAt(o.Remote()); ok {
		t.Segments = append(t.Segments, Segment{Path: o.Remote(), Start: start, Size: o.Size(), Object: o})
		return
	}
	t.Strays = append(t.Strays, o)
}
