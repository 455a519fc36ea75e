package layout

import (
	"fmt"
	"path"
	"strings"
	"time"
)

// CameraFolder is where one camera's archive lives below a remote folder:
// FOLDER/CAMERA, the same for run's config and share --camera. spec is an
// rclone spec ("remote:", "remote:path", ":s3,…:bucket", or a local path).
func CameraFolder(spec, camera string) (string, error) {
	if camera == "" || camera == "." || camera == ".." || strings.ContainsAny(camera, "/\\") {
		return "", fmt.Errorf("camera %q: want a folder name", camera)
	}
	if spec == "" || strings.HasSuffix(spec, ":") || strings.HasSuffix(spec, "/") {
		return spec + camera, nil
	}
	return spec + "/" + camera, nil
}

// SegmentAt reads the time of the segment at p (relative to the archive's
// folder) when p is a segment where this layout puts one: at the layout's
// full depth, below folders that all parse, with a name that parses. A stray
// file in a day folder, or footage one level too high, is not a segment.
func (s *Scheme) SegmentAt(p string) (time.Time, bool) {
	dir := path.Dir(p)
	depth := 0
	if dir != "." {
		depth = strings.Count(dir, "/") + 1
	}
	if depth != s.Depth() {
		return time.Time{}, false
	}
	if depth > 0 {
		if _, _, ok := s.DirSpan(dir); !ok {
			return time.Time{}, false
		}
	}
	return s.Time(path.Base(p))
}

// Flat is the same naming without date folders: how the recorder's own
// local folder is laid out.
func (s *Scheme) Flat() *Scheme {
	f := *s
	f.dir = nil
	return &f
}
