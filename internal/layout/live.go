package layout

import (
	"fmt"
	"path"
	"strings"
)

// LiveDir is the folder, below a camera's remote folder, that holds its
// near-live parts, live index and heartbeat. It is not a date, so no
// segment listing (archive, prune, share, `rclone lsf` of the day folders)
// takes anything in it for footage, and its part names end in .m4s, never
// the scheme's extension.
const LiveDir = "live"

// Objects of the live folder, relative to the camera's remote folder.
const (
	LiveIndexPlain  = LiveDir + "/index.json"   // the rolling live index
	LiveIndexSealed = LiveDir + "/index.sealed" // the same, sealed (encrypt: true)
	LiveHeartbeat   = LiveDir + "/watch"        // written by pages while someone watches
)

// LivePartDir is the folder of one segment's parts: live/STEM.
func (s *Scheme) LivePartDir(name string) string {
	return LiveDir + "/" + strings.TrimSuffix(name, s.ext)
}

// LiveInit is the init (ftyp+moov) of a segment's parts.
func (s *Scheme) LiveInit(name string) string { return s.LivePartDir(name) + "/init.mp4" }

// LivePart is part seq of a segment (from 1).
func (s *Scheme) LivePart(name string, seq int) string {
	return fmt.Sprintf("%s/%06d.m4s", s.LivePartDir(name), seq)
}

// LiveSegment reads which segment a path below LiveDir belongs to: the
// closed name whose parts folder holds it. It is false for the index, the
// heartbeat and anything that is not a parts folder of this scheme.
func (s *Scheme) LiveSegment(p string) (string, bool) {
	rest, ok := strings.CutPrefix(p, LiveDir+"/")
	if !ok {
		return "", false
	}
	stem, _, ok := strings.Cut(rest, "/")
	if !ok {
		return "", false
	}
	name := stem + s.ext
	if _, ok := s.Time(path.Base(name)); !ok {
		return "", false
	}
	return name, true
}
