package share

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/archive"
)

// Step 1 of the path: which segments a share shows.

// EmptyError is a selection with no footage: nothing is uploaded for it
// (a typo in the remote must not publish an empty page, nor create a bucket).
type EmptyError struct {
	Remote   string
	From, To time.Time
}

func (e *EmptyError) Error() string {
	to := "now"
	if !e.To.IsZero() {
		to = e.To.Format("2006-01-02 15:04 MST")
	}
	return fmt.Sprintf("no footage in %s from %s to %s: nothing to share (check the folder and the times)", e.Remote, e.From.Format("2006-01-02 15:04 MST"), to)
}

// span is the selection as absolute times (a rolling Window resolved
// against now).
func (o *Options) span() (from, to time.Time) {
	if o.Window > 0 {
		return o.now().Add(-o.Window), time.Time{}
	}
	if o.From.IsZero() && o.To.IsZero() {
		return o.now().Add(-DefaultWindow), time.Time{}
	}
	return o.From, o.To
}

// live says whether the selection can still gain segments.
func (o *Options) live() bool {
	_, to := o.span()
	return to.IsZero() || to.After(o.now())
}

// describe is the selection in words, for --list.
func (o *Options) describe() string {
	if o.Window > 0 {
		return "the last " + shortDuration(o.Window)
	}
	from, to := o.span()
	if to.IsZero() {
		return "from " + from.Format("2006-01-02 15:04") + " on"
	}
	return from.Format("2006-01-02 15:04:05") + " to " + to.Format("2006-01-02 15:04:05")
}

// selectFootage lists the selection through archive, oldest first, with
// the timelapses of its days. A missing folder or bucket and an empty
// selection are errors.
func selectFootage(ctx context.Context, o *Options) (archive.Listing, error) {
	if o.Dest == nil {
		return archive.Listing{}, errors.New("no archive remote given")
	}
	from, to := o.span()
	found, err := archive.List(ctx, o.Dest, o.scheme(), from, to)
	if errors.Is(err, fs.ErrorDirNotFound) {
		err = nil
	}
	if err != nil {
		return archive.Listing{}, err
	}
	if len(found.Segments) == 0 {
		return archive.Listing{}, &EmptyError{fs.ConfigString(o.Dest), from.In(o.scheme().Location()), to}
	}
	return found, nil
}

// inSpan keeps what is in the selection: a rolling window drops what left it.
func inSpan(o *Options, segs []archive.Segment) []archive.Segment {
	from, to := o.span()
	var out []archive.Segment
	for _, s := range segs {
		if (from.IsZero() || !s.Start.Before(from)) && (to.IsZero() || s.Start.Before(to)) {
			out = append(out, s)
		}
	}
	return out
}

// merge is what an index knew plus segments just uploaded, without
// listing; a re-upload replaces.
func merge(known []Link, added []archive.Segment) []archive.Segment {
	byPath := map[string]archive.Segment{}
	for _, l := range known {
		byPath[l.Path] = archive.Segment{Path: l.Path, Start: l.Start, Size: l.Size}
	}
	for _, s := range added {
		byPath[s.Path] = s
	}
	out := make([]archive.Segment, 0, len(byPath))
	for _, s := range byPath {
		out = append(out, s)
	}
	archive.Sort(out)
	return out
}

// ends estimates where each segment stops: at the next one's start when they
// follow each other, else after the usual segment length (the median gap).
// Segments are not opened to read their duration: that would download them.
func ends(segs []archive.Segment) []time.Time {
	out := make([]time.Time, len(segs))
	typical := medianGap(segs)
	for i, s := range segs {
		if typical == 0 {
			continue
		}
		end := s.Start.Add(typical)
		if i+1 < len(segs) {
			if next := segs[i+1].Start; next.After(s.Start) && next.Before(end.Add(typical/2)) {
				end = next
			}
		}
		out[i] = end
	}
	return out
}

func medianGap(segs []archive.Segment) time.Duration {
	var gaps []time.Duration
	for i := 1; i < len(segs); i++ {
		if g := segs[i].Start.Sub(segs[i-1].Start); g > 0 {
			gaps = append(gaps, g)
		}
	}
	if len(gaps) == 0 {
		return 0
	}
	slices.Sort(gaps)
	return gaps[len(gaps)/2]
}

// shortDuration says 1h, 7d, 90m as people type them for --last.
func shortDuration(d time.Duration) string {
	for _, u := range []struct {
		d    time.Duration
		name string
	}{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}} {
		if d%u.d == 0 {
			return fmt.Sprintf("%d%s", d/u.d, u.name)
		}
	}
	return d.String()
}
