// Package archive reads a remote camera archive by time. It walks the layout
// (YYYYMMDD/HH/NAME by default) and lists only the folders whose time span
// can hold the range asked for, so the cost of "the last hour" or "older
// than 30 days" grows with the days kept, never with the number of files.
package archive

import (
	"context"
	"errors"
	"path"
	"sort"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/layout"
)

// Segment is one recorded segment in the archive.
type Segment struct {
	Path  string    // relative to the archive root, e.g. "20240323/10/20240323T102000-0500.mp4"
	Start time.Time // from the name, through layout
	Size  int64
	// Object is the listed object, so callers can act on it (delete it)
	// without looking it up again: on S3 a lookup is a HEAD per file.
	Object fs.Object
	// Sidecar is its metadata file (layout.Sidecar) when one was listed
	// beside it; nil for none (activity unknown).
	Sidecar fs.Object
}

// Folder is one folder of the layout with the time span it can hold
// (zone-less: read in the scheme's zone, see layout.MaxZoneSkew).
type Folder struct {
	Path       string
	Start, End time.Time
}

// Folders lists the folders one level below dir ("" = the archive root) that
// parse as layout folders. Anything else (index.html, stray folders) is left
// out. One List call.
func Folders(ctx context.Context, f fs.Fs, s *layout.Scheme, dir string) ([]Folder, error) {
	entries, err := list(ctx, f, dir)
	if err != nil {
		return nil, err
	}
	var out []Folder
	for _, e := range entries {
		d, ok := e.(fs.Directory)
		if !ok {
			continue
		}
		start, end, ok := s.DirSpan(d.Remote())
		if !ok {
			continue
		}
		out = append(out, Folder{Path: d.Remote(), Start: start, End: end})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out, nil
}

// Timelapse is one day's timelapse in the archive (layout.TimelapsePath).
type Timelapse struct {
	Path string
	Day  time.Time // the day's start in the scheme's zone
	Size int64
}

// Listing is what one walk over a time range finds.
type Listing struct {
	Segments []Segment // start in the range, oldest first
	// Timelapses are those of the days the range touches, oldest first:
	// found in the day folders the walk lists anyway, so they cost nothing.
	Timelapses []Timelapse
}

// Segments returns the segments whose start is in [from, to), oldest first.
// A zero from or to leaves that side open. Only folders whose span, widened
// by layout.MaxZoneSkew, meets the range are listed.
func Segments(ctx context.Context, f fs.Fs, s *layout.Scheme, from, to time.Time) ([]Segment, error) {
	l, err := List(ctx, f, s, from, to)
	return l.Segments, err
}

// List is Segments with the days' timelapses found on the way.
func List(ctx context.Context, f fs.Fs, s *layout.Scheme, from, to time.Time) (Listing, error) {
	var out Listing
	v := visitor{
		segment: func(seg Segment) {
			if (from.IsZero() || !seg.Start.Before(from)) && (to.IsZero() || seg.Start.Before(to)) {
				out.Segments = append(out.Segments, seg)
			}
		},
		timelapse: func(t Timelapse) {
			if overlaps(t.Day, t.Day.AddDate(0, 0, 1), from, to) {
				out.Timelapses = append(out.Timelapses, t)
			}
		},
	}
	if err := walk(ctx, f, s, "", 0, from, to, v); err != nil {
		return Listing{}, err
	}
	Sort(out.Segments)
	sort.Slice(out.Timelapses, func(i, j int) bool {
		a, b := out.Timelapses[i], out.Timelapses[j]
		return a.Day.Before(b.Day) || a.Day.Equal(b.Day) && a.Path < b.Path
	})
	return out, nil
}

// SegmentsIn returns every segment below one layout folder (or the whole
// archive for dir ""), oldest first.
func SegmentsIn(ctx context.Context, f fs.Fs, s *layout.Scheme, dir string) ([]Segment, error) {
	depth := 0
	if dir != "" {
		depth = len(splitPath(dir))
	}
	var out []Segment
	if err := walk(ctx, f, s, dir, depth, time.Time{}, time.Time{}, visitor{segment: func(seg Segment) { out = append(out, seg) }}); err != nil {
		return nil, err
	}
	Sort(out)
	return out, nil
}

// Sort orders segments by start time, then path (a reconnect's _1 suffix
// after the plain name).
func Sort(segs []Segment) {
	sort.Slice(segs, func(i, j int) bool {
		if !segs[i].Start.Equal(segs[j].Start) {
			return segs[i].Start.Before(segs[j].Start)
		}
		return segs[i].Path < segs[j].Path
	})
}

// visitor gets what walk finds; a nil timelapse ignores those.
type visitor struct {
	segment   func(Segment)
	timelapse func(Timelapse)
}

// walk visits the segments below dir, which sits at the given layout depth.
// Segments are only looked for at the layout's full depth, so a stray file
// in a day folder is never mistaken for footage; folders that do not parse
// are not entered.
func walk(ctx context.Context, f fs.Fs, s *layout.Scheme, dir string, depth int, from, to time.Time, v visitor) error {
	entries, err := list(ctx, f, dir)
	if err != nil {
		return err
	}
	sidecars := sidecarsOf(s, entries)
	for _, e := range entries {
		switch e := e.(type) {
		case fs.Object:
			start, ok := s.SegmentAt(e.Remote())
			if ok {
				v.segment(Segment{Path: e.Remote(), Start: start, Size: e.Size(), Object: e, Sidecar: sidecars[e.Remote()]})
			} else if day, ok := s.TimelapseAt(e.Remote()); ok && v.timelapse != nil {
				v.timelapse(Timelapse{Path: e.Remote(), Day: day, Size: e.Size()})
			}
		case fs.Directory:
			if depth >= s.Depth() {
				continue
			}
			start, end, ok := s.DirSpan(e.Remote())
			if !ok || !overlaps(start, end, from, to) {
				continue
			}
			if err := walk(ctx, f, s, e.Remote(), depth+1, from, to, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// sidecarsOf maps segment paths to the sidecar objects among entries.
func sidecarsOf(s *layout.Scheme, entries fs.DirEntries) map[string]fs.Object {
	var m map[string]fs.Object
	for _, e := range entries {
		if o, ok := e.(fs.Object); ok {
			if seg, _, ok := s.SidecarAt(o.Remote()); ok {
				if m == nil {
					m = map[string]fs.Object{}
				}
				m[seg] = o
			}
		}
	}
	return m
}

// overlaps reports whether a folder's zone-less span, widened by the largest
// zone offset, can hold a time in [from, to).
func overlaps(start, end, from, to time.Time) bool {
	if !from.IsZero() && !end.Add(layout.MaxZoneSkew).After(from) {
		return false
	}
	if !to.IsZero() && !start.Add(-layout.MaxZoneSkew).Before(to) {
		return false
	}
	return true
}

// list lists one folder; a missing folder is empty, not an error (a fresh
// archive has no folders yet).
func list(ctx context.Context, f fs.Fs, dir string) (fs.DirEntries, error) {
	entries, err := f.List(ctx, dir)
	if errors.Is(err, fs.ErrorDirNotFound) {
		return nil, nil
	}
	return entries, err
}

func splitPath(p string) []string {
	var parts []string
	for p != "" && p != "." && p != "/" {
		parts = append([]string{path.Base(p)}, parts...)
		p = path.Dir(p)
		if p == "." {
			break
		}
	}
	return parts
}
