package share

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/camshare/camshare/internal/archive"
)

// ErrNoPage is RefreshIndex's answer when there is no page (no index) in the
// folder yet and the options do not say what to select.
var ErrNoPage = errors.New("no share page in this folder yet (create one with 'camshare share --page')")

// index is the small file the page polls. It also keeps the page's
// selection and link settings, so RefreshIndex (called by ship after each
// upload, which knows nothing of the page) renews it the same way.
type index struct {
	Version   int       `json:"version"`
	Title     string    `json:"title"`
	Generated time.Time `json:"generated"`
	Live      bool      `json:"live"`
	// The selection: a rolling window, or fixed bounds.
	WindowSeconds int64      `json:"window_seconds,omitempty"`
	From          *time.Time `json:"from,omitempty"`
	To            *time.Time `json:"to,omitempty"`
	ExpireSeconds int64      `json:"expire_seconds"`
	Relative      bool       `json:"relative,omitempty"`
	Segments      []Link     `json:"segments"`
}

// linkJSON is a Link as scripts and the page read it: RFC 3339 times in the
// camera's zone (from the name), plus milliseconds and the zone offset so
// the page can place and label segments without the viewer's zone.
type linkJSON struct {
	Start   string  `json:"start"`
	End     *string `json:"end"` // null: unknown (a lone segment)
	Path    string  `json:"path"`
	Size    int64   `json:"size"`
	URL     string  `json:"url"`
	Expires *string `json:"expires"` // null: the link does not expire (or the backend won't say)
	StartMS int64   `json:"ms"`
	EndMS   int64   `json:"end_ms,omitempty"`
	Offset  int     `json:"offset"` // seconds east of UTC
}

// MarshalJSON writes a Link for --json and the index.
func (l Link) MarshalJSON() ([]byte, error) {
	_, off := l.Start.Zone()
	j := linkJSON{Start: l.Start.Format(time.RFC3339), Path: l.Path, Size: l.Size, URL: l.URL,
		StartMS: l.Start.UnixMilli(), Offset: off}
	if !l.End.IsZero() {
		end := l.End.Format(time.RFC3339)
		j.End, j.EndMS = &end, l.End.UnixMilli()
	}
	if !l.Expires.IsZero() {
		exp := l.Expires.Format(time.RFC3339)
		j.Expires = &exp
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads a Link back (RefreshIndex reuses links still valid).
func (l *Link) UnmarshalJSON(b []byte) error {
	var j linkJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	parse := func(s *string) time.Time {
		if s == nil {
			return time.Time{}
		}
		t, _ := time.Parse(time.RFC3339, *s)
		return t
	}
	*l = Link{Start: parse(&j.Start), End: parse(j.End), Path: j.Path, Size: j.Size, URL: j.URL, Expires: parse(j.Expires)}
	return nil
}

// settings records the options' selection in the index.
func (o *Options) settings(now time.Time) index {
	ix := index{Version: 1, Title: o.Title, Generated: now.UTC(), ExpireSeconds: int64(o.expire() / time.Second), Relative: o.Relative}
	from, to := o.span()
	switch {
	case o.Window > 0:
		ix.WindowSeconds = int64(o.Window / time.Second)
	case o.From.IsZero() && o.To.IsZero():
		ix.WindowSeconds = int64(DefaultWindow / time.Second)
	default:
		if !from.IsZero() {
			ix.From = &from
		}
		if !to.IsZero() {
			ix.To = &to
		}
	}
	ix.Live = to.IsZero() || to.After(now)
	return ix
}

// adopt fills what the caller left unset from an earlier index.
func (o *Options) adopt(old *index) {
	if o.Window == 0 && o.From.IsZero() && o.To.IsZero() {
		o.Window = time.Duration(old.WindowSeconds) * time.Second
		if old.From != nil {
			o.From = *old.From
		}
		if old.To != nil {
			o.To = *old.To
		}
	}
	if o.Expire == 0 {
		o.Expire = time.Duration(old.ExpireSeconds) * time.Second
	}
	if o.Title == "" {
		o.Title = old.Title
	}
	o.Relative = o.Relative || old.Relative
}

func readIndex(ctx context.Context, o *Options) (*index, error) {
	raw, err := get(ctx, o.Dest, IndexName)
	if err != nil || raw == nil {
		return nil, err
	}
	var ix index
	if err := json.Unmarshal(raw, &ix); err != nil {
		return nil, fmt.Errorf("%s: %v", IndexName, err)
	}
	return &ix, nil
}

// buildIndex selects, links (reusing old links) and returns the new index.
func buildIndex(ctx context.Context, o *Options, old *index) (*index, []string, error) {
	now := o.now()
	ix := o.settings(now)
	var segs []archive.Segment
	var err error
	if old != nil && len(o.Added) > 0 {
		segs = merge(o, old.Segments, o.Added)
	} else if segs, err = selectSegments(ctx, o); err != nil {
		return nil, nil, err
	}
	if o.Relative {
		ix.Segments = relativeLinks(segs)
		return &ix, nil, nil
	}
	backend, err := checkLinks(o.Dest)
	if err != nil {
		return nil, nil, err
	}
	ask, expires, warning := expiryFor(backend, o.expire(), now)
	reuse := map[string]Link{}
	if old != nil {
		for _, l := range old.Segments {
			reuse[l.Path] = l
		}
	}
	ix.Segments, err = makeLinks(ctx, o.Dest, segs, ask, expires, reuse, now)
	var warnings []string
	if warning != "" {
		warnings = append(warnings, warning)
	}
	return &ix, warnings, err
}

// writeIndex uploads index.json, and index.js for pages opened from disk
// (Chromium blocks fetch of file:// URLs, not <script src>).
func writeIndex(ctx context.Context, o *Options, ix *index) error {
	data, err := json.Marshal(ix)
	if err != nil {
		return err
	}
	if err := put(ctx, o.Dest, IndexName, data, "application/json"); err != nil {
		return err
	}
	if !ix.Relative {
		return nil
	}
	js := append([]byte("window.camshareIndex = "), data...)
	js = append(js, ";\n"...)
	return put(ctx, o.Dest, IndexJSName, js, "text/javascript; charset=utf-8")
}

var refreshMu sync.Mutex // parallel uploads in one process refresh one at a time

// RefreshIndex rewrites only the small index the live page polls (cheap;
// called after each upload). Options left unset (selection, expiry, title)
// are taken from the index the page was written with; links still valid are
// reused, so only new segments cost a PublicLink call. Without a page and
// without a selection in o it returns ErrNoPage.
func RefreshIndex(ctx context.Context, o Options) error {
	refreshMu.Lock()
	defer refreshMu.Unlock()
	old, err := readIndex(ctx, &o)
	if err != nil {
		return err
	}
	if old == nil {
		if o.Window == 0 && o.From.IsZero() && o.To.IsZero() {
			return ErrNoPage
		}
	} else {
		o.adopt(old)
	}
	ix, _, err := buildIndex(ctx, &o, old)
	if err != nil {
		return err
	}
	return writeIndex(ctx, &o, ix)
}

// merge is the selection from an earlier index plus segments just uploaded,
// without listing: what left the window is dropped, a re-upload replaces.
func merge(o *Options, known []Link, added []archive.Segment) []archive.Segment {
	from, to := o.span()
	byPath := map[string]archive.Segment{}
	for _, l := range known {
		byPath[l.Path] = archive.Segment{Path: l.Path, Start: l.Start, Size: l.Size}
	}
	for _, s := range added {
		byPath[s.Path] = s
	}
	var out []archive.Segment
	for _, s := range byPath {
		if (from.IsZero() || !s.Start.Before(from)) && (to.IsZero() || s.Start.Before(to)) {
			out = append(out, s)
		}
	}
	archive.Sort(out)
	return out
}
