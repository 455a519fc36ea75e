package share

import (
	"context"
	"strings"

	"github.com/camshare/camshare/internal/archive"
	"github.com/camshare/camshare/internal/layout"
)

// A day's timelapse (ship puts it in the day's folder after midnight) is
// what the page offers as "The day in a minute". It is linked, keyed and
// copied for a page on disk exactly like a segment; the index carries it
// in its day's entry of latest.json.

// pageLapse is a day's timelapse as the page reads it.
type pageLapse struct {
	URL  string `json:"url"`
	Size int64  `json:"size"`
	Key  string `json:"key,omitempty"` // encrypted archive: the file key
}

// dayLapses keeps one timelapse per day the share shows footage of: the
// camera's own where a folder holds several (cameras sharing a folder).
func dayLapses(lapses []archive.Timelapse, shown []Link, sc *layout.Scheme, camera string) []archive.Timelapse {
	days := map[string]bool{}
	for _, l := range shown {
		days[dayOf(l)] = true
	}
	byDay := map[string]int{}
	var out []archive.Timelapse
	for _, t := range lapses {
		d := t.Day.Format("20060102")
		if !days[d] {
			continue
		}
		i, seen := byDay[d]
		switch {
		case !seen:
			byDay[d] = len(out)
			out = append(out, t)
		case camera != "" && t.Path == sc.TimelapsePath(t.Day, camera):
			out[i] = t
		}
	}
	return out
}

// timelapses links each day's timelapse. Every day's file has the same
// base name, so a script copy's name has the day folder in it.
func (l *linker) timelapses(ctx context.Context, lapses []archive.Timelapse, from string, reuse map[string]Link) ([]Link, error) {
	var links []Link
	for _, t := range lapses {
		k := Link{Start: t.Day, Path: t.Path, Size: t.Size}
		as := archive.Segment{Path: t.Path, Start: t.Day, Size: t.Size}
		if err := l.fill(ctx, &k, as, strings.ReplaceAll(t.Path, "/", "-"), from, reused(reuse, t.Path)); err != nil {
			return nil, err
		}
		links = append(links, k)
	}
	return links, nil
}

// lapsesOf is what an index knew, for a refresh that does not list.
func lapsesOf(links []Link) []archive.Timelapse {
	out := make([]archive.Timelapse, 0, len(links))
	for _, k := range links {
		out = append(out, archive.Timelapse{Path: k.Path, Day: k.Start, Size: k.Size})
	}
	return out
}

// addLapses puts each timelapse in its day's entry.
func addLapses(ix *index, r *record) {
	for _, k := range r.Timelapses {
		d := k.Start.Format("20060102")
		for i := range ix.latest.Days {
			if ix.latest.Days[i].Day == d {
				ix.latest.Days[i].Lapse = &pageLapse{URL: k.URL, Size: k.Size, Key: k.FileKey}
			}
		}
	}
}
