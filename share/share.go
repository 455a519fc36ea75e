package share

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/archive"
	"github.com/camshare/camshare/internal/layout"
)

// DefaultExpire is how long links live when Options.Expire is zero.
const DefaultExpire = 7 * 24 * time.Hour

// DefaultWindow is the selection when nothing else is asked for: the last hour.
const DefaultWindow = time.Hour

// Options select segments and say how to link them.
type Options struct {
	Dest     fs.Fs          // archive root (FOLDER or FOLDER/CAMERA), opened by the caller
	Scheme   *layout.Scheme // nil = layout.Default()
	From, To time.Time      // selection [From, To); a zero To is open-ended (live)
	// Window, when set, is a rolling selection: the last Window before now,
	// taken again at every RefreshIndex (it overrides From and To). This is
	// what --last gives, so a live page keeps showing "the last hour".
	Window   time.Duration
	Expire   time.Duration // link lifetime; 0 = DefaultExpire
	Title    string        // page title, e.g. the camera name
	Relative bool          // local-folder remote: relative links (the page is opened from disk)
	Out      string        // WritePage: write the page to this local file instead of uploading it
	Poll     time.Duration // how often a live page re-reads its index; 0 = DefaultPoll
	// Added, for RefreshIndex: segments just uploaded (ship's OnShipped).
	// With a stored index, they are merged into it without listing the
	// remote at all: one read, one link, one write per upload.
	Added []archive.Segment
	Log   *slog.Logger
	Now   func() time.Time // clock for tests; nil = time.Now
}

// Link is one shared segment.
type Link struct {
	Start   time.Time
	End     time.Time // estimated from the next segment's start; zero when unknown
	Path    string    // relative to Dest
	Size    int64
	URL     string
	Expires time.Time // zero when the backend ignores expiry (the link lasts until unshared)
}

func (o *Options) scheme() *layout.Scheme {
	if o.Scheme == nil {
		o.Scheme = layout.Default()
	}
	return o.Scheme
}

func (o *Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func (o *Options) expire() time.Duration {
	if o.Expire <= 0 {
		return DefaultExpire
	}
	return o.Expire
}

func (o *Options) log() *slog.Logger {
	if o.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Log
}

// span is the selection as absolute times (Window resolved against now).
func (o *Options) span() (from, to time.Time) {
	if o.Window > 0 {
		return o.now().Add(-o.Window), time.Time{}
	}
	if o.From.IsZero() && o.To.IsZero() {
		return o.now().Add(-DefaultWindow), time.Time{}
	}
	return o.From, o.To
}

// selectSegments lists the selection through archive, oldest first.
func selectSegments(ctx context.Context, o *Options) ([]archive.Segment, error) {
	if o.Dest == nil {
		return nil, errors.New("no archive remote given")
	}
	from, to := o.span()
	return archive.Segments(ctx, o.Dest, o.scheme(), from, to)
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
	for i := 1; i < len(gaps); i++ { // insertion sort: a window holds few segments
		for j := i; j > 0 && gaps[j] < gaps[j-1]; j-- {
			gaps[j], gaps[j-1] = gaps[j-1], gaps[j]
		}
	}
	return gaps[len(gaps)/2]
}
