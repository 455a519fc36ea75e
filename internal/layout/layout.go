// Package layout owns camshare's naming scheme, in both directions:
//
//	time → file name → remote path   (record names files, ship places them)
//	remote path → time               (share and prune select by time)
//
// The defaults reproduce the hand-made set-up that camshare replaces
// (ffmpeg -strftime 1 %Y%m%dT%H%M%S%z.mp4 and rclone moveto into
// FOLDER/YYYYMMDD/HH/NAME), so old archives and new ones share one tree.
// Nothing else in camshare parses or builds segment names.
package layout

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
)

const (
	// DefaultName is ffmpeg's -strftime pattern used by the hand-made set-up.
	DefaultName = "%Y%m%dT%H%M%S%z.mp4"
	// DefaultDir places a segment by the date and hour in its name.
	DefaultDir = "%Y%m%d/%H"
	// TempExt marks a segment still being written; nothing ships it.
	TempExt = ".tmp"
)

// Scheme is one naming scheme. The zero value is not usable; see New.
type Scheme struct {
	stem *pattern   // the name pattern without its extension
	ext  string     // literal extension, e.g. ".mp4"
	dir  []*pattern // one pattern per folder level
	loc  *time.Location
}

var suffixRE = regexp.MustCompile(`^(.*)_(\d+)$`)

// New checks and compiles a scheme. name is a strftime pattern ending in a
// literal extension; dir is a strftime pattern for the folders ("" for
// none); utc makes names in UTC instead of the local zone.
func New(name, dir string, utc bool) (*Scheme, error) {
	if name == "" {
		name = DefaultName
	}
	dot := strings.LastIndexByte(name, '.')
	if dot < 0 || strings.ContainsAny(name[dot:], "%/") || len(name[dot:]) < 2 {
		return nil, fmt.Errorf("name pattern %q must end in a literal extension such as .mp4", name)
	}
	if strings.Contains(name, "/") {
		return nil, fmt.Errorf("name pattern %q must not contain /", name)
	}
	stem, err := parsePattern(name[:dot])
	if err != nil {
		return nil, err
	}
	if !stem.has('s') && !(stem.has('Y') && stem.has('m') && stem.has('d') && stem.has('H') && stem.has('M') && stem.has('S')) {
		return nil, fmt.Errorf("name pattern %q must hold the full time to the second (%%Y%%m%%d %%H%%M%%S, or %%s)", name)
	}
	s := &Scheme{stem: stem, ext: name[dot:], loc: time.Local}
	if utc {
		s.loc = time.UTC
	}
	dir = strings.Trim(dir, "/")
	if dir != "" {
		for _, level := range strings.Split(dir, "/") {
			p, err := parsePattern(level)
			if err != nil {
				return nil, err
			}
			if len(p.fields) == 0 {
				return nil, fmt.Errorf("folder pattern %q: level %q holds no time field", dir, level)
			}
			s.dir = append(s.dir, p)
		}
	}
	return s, nil
}

// Default is the scheme of the hand-made set-up, in the local zone.
func Default() *Scheme {
	s, err := New(DefaultName, DefaultDir, false)
	if err != nil {
		panic(err)
	}
	return s
}

// Location is the zone names are written in.
func (s *Scheme) Location() *time.Location { return s.loc }

// Ext is the extension of closed segments, e.g. ".mp4".
func (s *Scheme) Ext() string { return s.ext }

// Name is the file name of a segment whose first frame is at t.
func (s *Scheme) Name(t time.Time) string {
	return s.stem.format(t.In(s.loc)) + s.ext
}

// Unique returns name with a collision suffix: n=0 is name itself, n=1 gives
// STEM_1.mp4 and so on. Record uses it so a reconnect inside one window never
// overwrites a segment; Time still reads the suffixed name.
func (s *Scheme) Unique(name string, n int) string {
	if n == 0 {
		return name
	}
	return strings.TrimSuffix(name, s.ext) + "_" + strconv.Itoa(n) + s.ext
}

// TempName is the name of a segment while it is written.
func (s *Scheme) TempName(name string) string {
	return strings.TrimSuffix(name, s.ext) + TempExt
}

// FromTemp is the closed name for a temp file, if it is one of ours.
func (s *Scheme) FromTemp(tmp string) (string, bool) {
	if !strings.HasSuffix(tmp, TempExt) {
		return "", false
	}
	name := strings.TrimSuffix(tmp, TempExt) + s.ext
	_, ok := s.Time(name)
	return name, ok
}

// Time reads the start time out of a closed segment's base name. It is false
// for anything that is not a segment name (index.html, notes.txt, NAME.tmp).
func (s *Scheme) Time(base string) (time.Time, bool) {
	if !strings.HasSuffix(base, s.ext) {
		return time.Time{}, false
	}
	// Strip collision suffixes one at a time: a stem may itself end in
	// "_digits" (%Y%m%d_%H%M%S), and a collision of a collision is X_1_1.
	stem := strings.TrimSuffix(base, s.ext)
	for {
		if f, ok := s.stem.parse(stem); ok {
			return f.time(s.loc)
		}
		m := suffixRE.FindStringSubmatch(stem)
		if m == nil {
			return time.Time{}, false
		}
		stem = m[1]
	}
}

// Dir is the folder (relative, "/"-separated) that holds a segment starting
// at t. The time is taken as written in the name, so a name's own date and
// hour are its folder's, whatever zone the machine is in now.
func (s *Scheme) Dir(t time.Time) string {
	levels := make([]string, len(s.dir))
	for i, p := range s.dir {
		levels[i] = p.format(t)
	}
	return strings.Join(levels, "/")
}

// RemotePath is where a segment goes below the remote folder:
// DIR/NAME, with DIR from the time in the name (not the upload time).
func (s *Scheme) RemotePath(name string) (string, error) {
	t, ok := s.Time(name)
	if !ok {
		return "", fmt.Errorf("%q is not a segment name", name)
	}
	return path.Join(s.Dir(t), name), nil
}

// Depth is the number of folder levels above a segment.
func (s *Scheme) Depth() int { return len(s.dir) }

// DirSpan reads the time range a folder (the first k levels of the layout,
// e.g. "20240323" or "20240323/10") can hold. Folders carry no zone, so the
// range is in the scheme's zone; callers that must be exact across zones
// widen it by MaxZoneSkew.
func (s *Scheme) DirSpan(rel string) (start, end time.Time, ok bool) {
	levels := strings.Split(strings.Trim(rel, "/"), "/")
	if rel == "" || len(levels) > len(s.dir) {
		return time.Time{}, time.Time{}, false
	}
	merged := fields{month: 1, day: 1}
	rank := map[byte]int{'Y': 1, 'm': 2, 'd': 3, 'H': 4, 'M': 5, 'S': 6, 's': 7}
	for i, level := range levels {
		f, ok := s.dir[i].parse(level)
		if !ok {
			return time.Time{}, time.Time{}, false
		}
		for _, d := range s.dir[i].fields {
			switch d {
			case 'Y':
				merged.year = f.year
			case 'm':
				merged.month = f.month
			case 'd':
				merged.day = f.day
			case 'H':
				merged.hour = f.hour
			case 'M':
				merged.min = f.min
			case 'S':
				merged.sec = f.sec
			case 's':
				merged.unix, merged.hasUnix = f.unix, true
			case 'z':
				merged.zone = f.zone
			}
			if rank[d] > rank[merged.finest] {
				merged.finest = d
			}
		}
	}
	start, ok = merged.time(s.loc)
	if !ok {
		return time.Time{}, time.Time{}, false
	}
	return start, start.Add(merged.span(start)), true
}

// MaxZoneSkew is the widest gap between a folder's zone-less reading and the
// instant it names: names may carry any offset from -12:00 to +14:00.
const MaxZoneSkew = 14 * time.Hour
