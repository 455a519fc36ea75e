package share

import (
	"bytes"
	"encoding/json"
	"time"
)

// Step 3 of the path: the index the page reads, as documents to upload.
//
// A share's folder holds:
//
//	share.json          the share's own record: selection, settings, every link (never fetched by the page)
//	latest.json         what an open page polls: the newest few segments, the days, expiry (small)
//	day-YYYYMMDD.json   one day's segments, fetched when the viewer opens that day
//	index.html          the page
//
// Opened from disk (file://) fetch is refused, so each document the page
// reads also exists as a .js script that hands it to the page.

// recentCount is how many of the newest segments latest.json carries: a
// page that polled recently finds the new one there without a day document.
const recentCount = 3

// record is share.json: a share's selection and link settings, so a
// refresh (ship after an upload, run) renews it the same way, and never
// wider than it was made.
type record struct {
	Version       int        `json:"version"`
	ID            string     `json:"id"`
	Owner         string     `json:"owner,omitempty"`
	Title         string     `json:"title"`
	Camera        string     `json:"camera,omitempty"`
	Created       time.Time  `json:"created"`
	Generated     time.Time  `json:"generated"`
	WindowSeconds int64      `json:"window_seconds,omitempty"`
	From          *time.Time `json:"from,omitempty"`
	To            *time.Time `json:"to,omitempty"`
	ExpireSeconds int64      `json:"expire_seconds"`
	PollMS        int64      `json:"poll_ms"`
	Relative      bool       `json:"relative,omitempty"`
	// PageExpires is when the page's own link stops working (zero: never).
	PageExpires time.Time          `json:"page_expires"`
	PageURL     string             `json:"page_url,omitempty"` // the link handed out (run shows it in status)
	LinkKey     string             `json:"link_key,omitempty"` // encrypted archive: the key the index is sealed with, also in the link's #k=
	Segments    []Link             `json:"segments"`
	Timelapses  []Link             `json:"timelapses,omitempty"` // the days' timelapses (Start: the day), for "The day in a minute"
	Docs        map[string]docLink `json:"docs"`                 // the documents the page fetches, by name

	locked bool // sealed, read without the archive key: only its ID is known
}

// docLink is one uploaded document: its content hash (unchanged ones are
// not uploaded again) and its link.
type docLink struct {
	Sum     string    `json:"sha256"`
	URL     string    `json:"url"`
	Expires time.Time `json:"expires"`
}

// recordOf is the record of o's selection.
func recordOf(o *Options, id string, now time.Time) *record {
	r := &record{Version: 2, ID: id, Owner: o.Owner, Title: o.Title, Camera: o.Camera, Created: now.UTC(), Generated: now.UTC(),
		ExpireSeconds: int64(o.expire() / time.Second), PollMS: int64(o.poll() / time.Millisecond), Relative: o.Relative}
	switch {
	case o.Window > 0:
		r.WindowSeconds = int64(o.Window / time.Second)
	case o.From.IsZero() && o.To.IsZero():
		r.WindowSeconds = int64(DefaultWindow / time.Second)
	default:
		if !o.From.IsZero() {
			from := o.From
			r.From = &from
		}
		if !o.To.IsZero() {
			to := o.To
			r.To = &to
		}
	}
	return r
}

// options is the record as Options for a refresh.
func (r *record) options(o Options) Options {
	o.Window = time.Duration(r.WindowSeconds) * time.Second
	o.From, o.To = time.Time{}, time.Time{}
	if r.From != nil {
		o.From = *r.From
	}
	if r.To != nil {
		o.To = *r.To
	}
	o.Expire = time.Duration(r.ExpireSeconds) * time.Second
	o.Poll = time.Duration(r.PollMS) * time.Millisecond
	o.Title, o.Camera, o.Relative, o.ID, o.Owner = r.Title, r.Camera, r.Relative, r.ID, r.Owner
	return o
}

// pageSeg is a segment as the page reads it: times in milliseconds, the
// camera's zone offset (seconds east of UTC) to label it in camera time.
type pageSeg struct {
	MS     int64  `json:"ms"`
	EndMS  int64  `json:"end,omitempty"`
	Path   string `json:"path"`
	URL    string `json:"url"`
	Size   int64  `json:"size"`
	Offset int    `json:"off"`
	Key    string `json:"key,omitempty"` // encrypted archive: the file key (the document itself is sealed)
	// For the page's activity marks and "next/previous activity": active
	// seconds per 10 s from the segment's start (absent: unknown); and
	// cold: archived, a restore is needed before it plays.
	Act  []int `json:"act,omitempty"`
	Cold bool  `json:"cold,omitempty"`
}

// pageDay is one day of footage in latest.json; its segments are in the
// day document at URL.
type pageDay struct {
	Day   string `json:"day"` // YYYYMMDD in the camera's zone
	Count int    `json:"n"`
	First int64  `json:"first"`
	Last  int64  `json:"last"` // end of the day's last segment
	URL   string `json:"url"`
	// Active is how many of the day's seconds were active (0 also when
	// unknown), so the page can mark busy days without their documents.
	Active int `json:"active,omitempty"`
	// Lapse is the day's timelapse ("The day in a minute"); nil: none yet
	// (a day's file ships after its midnight).
	Lapse *pageLapse `json:"tl,omitempty"`
}

// latest is latest.json: what an open page polls.
type latest struct {
	Version   int       `json:"v"`
	Title     string    `json:"title"`
	Camera    string    `json:"camera"`
	Live      bool      `json:"live"`
	Generated int64     `json:"generated"`
	Expires   int64     `json:"expires,omitempty"` // when the page stops working (ms); 0: no expiry
	PollMS    int64     `json:"poll"`
	Days      []pageDay `json:"days"`   // oldest first
	Recent    []pageSeg `json:"recent"` // the newest segments, oldest first
	// LiveViews: cameras the page can show near-live (liveview.go).
	LiveViews []liveView `json:"liveViews,omitempty"`
}

// index is everything the page reads, built from the links.
type index struct {
	latest latest
	days   map[string][]pageSeg // by day
}

func toPageSeg(l Link) pageSeg {
	_, off := l.Start.Zone()
	s := pageSeg{MS: l.Start.UnixMilli(), Path: l.Path, URL: l.URL, Size: l.Size, Offset: off, Key: l.FileKey,
		Act: l.Activity, Cold: l.Cold}
	if !l.End.IsZero() {
		s.EndMS = l.End.UnixMilli()
	}
	return s
}

// dayOf is the day a segment belongs to, in the camera's zone (its name's).
func dayOf(l Link) string { return l.Start.Format("20060102") }

// buildIndex groups the links by day and picks the newest for latest.json.
// Day links are filled in by the upload step (a link needs the object).
func buildIndex(r *record, live bool, now time.Time) *index {
	ix := &index{days: map[string][]pageSeg{}}
	ix.latest = latest{Version: 1, Title: r.Title, Camera: r.Camera, Live: live, Generated: now.UnixMilli(), PollMS: r.PollMS,
		Days: []pageDay{}, Recent: []pageSeg{}}
	if !r.PageExpires.IsZero() {
		ix.latest.Expires = r.PageExpires.UnixMilli()
	}
	for _, l := range r.Segments {
		d := dayOf(l)
		s := toPageSeg(l)
		if n := len(ix.latest.Days); n == 0 || ix.latest.Days[n-1].Day != d {
			ix.latest.Days = append(ix.latest.Days, pageDay{Day: d, First: s.MS})
		}
		day := &ix.latest.Days[len(ix.latest.Days)-1]
		day.Count++
		day.Last = max(s.MS, s.EndMS)
		for _, n := range l.Activity {
			day.Active += n
		}
		ix.days[d] = append(ix.days[d], s)
	}
	addLapses(ix, r)
	n := len(r.Segments)
	for _, l := range r.Segments[max(0, n-recentCount):] {
		ix.latest.Recent = append(ix.latest.Recent, toPageSeg(l))
	}
	return ix
}

// docName is the name of a document the page reads.
func docName(day string, relative bool) string {
	name := "latest"
	if day != "" {
		name = "day-" + day
	}
	if relative {
		return name + ".js"
	}
	return name + ".json"
}

// encode writes v as JSON without HTML escaping (links keep their &), or
// for a page opened from disk as a script handing it to the page.
func encode(v any, scriptName string) ([]byte, error) {
	var buf bytes.Buffer
	if scriptName != "" {
		buf.WriteString("camshareDoc(" + jsonString(scriptName) + ", ")
	}
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	if scriptName != "" {
		buf.Truncate(buf.Len() - 1)
		buf.WriteString(");\n")
	}
	return buf.Bytes(), nil
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
