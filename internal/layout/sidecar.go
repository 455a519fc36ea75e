package layout

import (
	"path"
	"strings"
	"time"
)

// SidecarExt is the extension of a segment's metadata file: NAME.json sits
// beside NAME.mp4, locally and on the remote, and goes wherever it goes. One
// file per segment (not one per hour folder) because a segment is what
// ship, prune and the collision rule handle one at a time: a sidecar is
// written once when its segment closes and never rewritten, so no two
// writers (a recorder and a late upload of a recovered segment) ever race
// on one object, and deleting a segment deletes exactly its own metadata.
const SidecarExt = ".json"

// Sidecar is the metadata file's name (or path) for a segment's name (or
// path): STEM.json for STEM.mp4, collision suffix included.
func (s *Scheme) Sidecar(segment string) string {
	return strings.TrimSuffix(segment, s.ext) + SidecarExt
}

// SidecarOf is the segment a sidecar's base name belongs to; false for
// anything that is not a segment's sidecar.
func (s *Scheme) SidecarOf(name string) (segment string, ok bool) {
	if !strings.HasSuffix(name, SidecarExt) || SidecarExt == s.ext {
		return "", false
	}
	segment = strings.TrimSuffix(name, SidecarExt) + s.ext
	if _, ok := s.Time(segment); !ok {
		return "", false
	}
	return segment, true
}

// SidecarAt is the path of the segment whose sidecar is at p (relative to
// the archive's folder), when p is where the layout puts one.
func (s *Scheme) SidecarAt(p string) (segment string, start time.Time, ok bool) {
	seg, ok := s.SidecarOf(path.Base(p))
	if !ok {
		return "", time.Time{}, false
	}
	segment = path.Join(path.Dir(p), seg)
	start, ok = s.SegmentAt(segment)
	return segment, start, ok
}

// Timelapse files: one per camera and day, made of one key frame every N
// seconds. Locally (the recorder's flat folder, one camera) it is
// timelapse-YYYYMMDD.mp4 (.tmp while written); on the remote it is
// DAY/timelapse-CAMERA.mp4 in the day's folder (the first folder level),
// or timelapse-CAMERA-YYYYMMDD.mp4 beside the segments of a flat archive.
const timelapsePrefix = "timelapse-"

// TimelapseLocal is the recorder's local name for the day starting at day.
func (s *Scheme) TimelapseLocal(day time.Time) string {
	return timelapsePrefix + day.In(s.loc).Format("20060102") + s.ext
}

// TimelapseOfLocal reads the day out of a local timelapse name (closed, or
// its temp name with closed false).
func (s *Scheme) TimelapseOfLocal(name string) (day time.Time, closed, ok bool) {
	rest, found := strings.CutPrefix(name, timelapsePrefix)
	if !found {
		return time.Time{}, false, false
	}
	stem, closed := strings.CutSuffix(rest, s.ext)
	if !closed {
		if stem, found = strings.CutSuffix(rest, TempExt); !found {
			return time.Time{}, false, false
		}
	}
	d, err := time.ParseInLocation("20060102", stem, s.loc)
	if err != nil {
		return time.Time{}, false, false
	}
	return d, closed, true
}

// TimelapsePath is where a camera's timelapse of one day goes on the remote.
func (s *Scheme) TimelapsePath(day time.Time, camera string) string {
	day = day.In(s.loc)
	name := timelapsePrefix + camera
	if camera == "" {
		name = "timelapse"
	}
	if len(s.dir) == 0 {
		return name + "-" + day.Format("20060102") + s.ext
	}
	return path.Join(s.dir[0].format(day), name+s.ext)
}

// TimelapseAt reads the day of a remote timelapse path (relative to the
// archive's folder); false for anything else.
func (s *Scheme) TimelapseAt(p string) (day time.Time, ok bool) {
	base := path.Base(p)
	if !strings.HasPrefix(base, timelapsePrefix) && !strings.HasPrefix(base, "timelapse.") || !strings.HasSuffix(base, s.ext) {
		return time.Time{}, false
	}
	dir := path.Dir(p)
	if len(s.dir) == 0 {
		stem := strings.TrimSuffix(base, s.ext)
		i := strings.LastIndexByte(stem, '-')
		if dir != "." || i < 0 {
			return time.Time{}, false
		}
		d, err := time.ParseInLocation("20060102", stem[i+1:], s.loc)
		return d, err == nil
	}
	if strings.Contains(dir, "/") || dir == "." {
		return time.Time{}, false
	}
	start, _, ok := s.DirSpan(dir)
	return start, ok
}
