package status

import (
	"fmt"
	"io"
	"time"

	"github.com/camshare/camshare/internal/units"
)

// Report prints the state for a person, problems last.
func Report(w io.Writer, s State, now time.Time, problems []string) {
	fmt.Fprintf(w, "camshare run (pid %d), started %s, updated %s ago\n",
		s.PID, s.Started.Format(time.DateTime), round(now.Sub(s.Updated)))
	for _, c := range s.Cameras {
		state := "up"
		if !c.Connected {
			state = "DOWN"
		}
		if c.Stopped {
			state = "STOPPED"
		}
		fmt.Fprintf(w, "  camera %-12s %-7s since %s (%s), reconnects %d", c.Name, state,
			c.Since.Format(time.DateTime), round(now.Sub(c.Since)), c.Reconnects)
		if c.LastSegment != "" {
			fmt.Fprintf(w, ", last segment %s (%s)", c.LastSegment, units.FormatSize(c.LastSegmentSize))
		}
		fmt.Fprintln(w)
		if l := c.Live; l != nil {
			reportLive(w, *l, now)
		}
		if c.LastError != "" {
			fmt.Fprintf(w, "    last error %s: %s\n", c.LastErrorAt.Format(time.DateTime), c.LastError)
		}
	}
	sh := s.Ship
	fmt.Fprintf(w, "  upload queue: %d segments (%s)", sh.Queued, units.FormatSize(sh.QueuedBytes))
	if sh.OldestFile != "" {
		fmt.Fprintf(w, ", oldest %s", sh.OldestFile)
	}
	if sh.Outage {
		fmt.Fprint(w, ", REMOTE UNREACHABLE")
	}
	fmt.Fprintf(w, "; shipped %d, failed %d, dropped %d", sh.Shipped, sh.Failed, sh.Dropped)
	if sh.DropReason != "" {
		fmt.Fprintf(w, " (to stay within %s)", sh.DropReason)
	}
	fmt.Fprintln(w)
	if !sh.LastUpload.IsZero() {
		fmt.Fprintf(w, "  last upload: %s (%s ago)\n", sh.LastUploadFile, round(now.Sub(sh.LastUpload)))
	}
	if !s.Prune.Last.IsZero() {
		fmt.Fprintf(w, "  last prune: %s ago, deleted %d (%s)", round(now.Sub(s.Prune.Last)), s.Prune.Deleted, units.FormatSize(s.Prune.Freed))
		if s.Prune.Error != "" {
			fmt.Fprintf(w, ", error: %s", s.Prune.Error)
		}
		fmt.Fprintln(w)
	}
	if s.Disk.Total > 0 {
		fmt.Fprintf(w, "  disk: %s free of %s (%s)\n", units.FormatSize(s.Disk.Free), units.FormatSize(s.Disk.Total), s.Disk.Path)
	}
	if len(problems) == 0 {
		fmt.Fprintln(w, "OK")
		return
	}
	for _, p := range problems {
		fmt.Fprintf(w, "PROBLEM: %s\n", p)
	}
}

// reportLive is the camera's near-live line: watched or not, and how far
// behind the camera the newest part was when it reached the remote.
func reportLive(w io.Writer, l Live, now time.Time) {
	if !l.Watched {
		fmt.Fprintln(w, "    live view: nobody watching")
		return
	}
	fmt.Fprintf(w, "    live view: someone watching, %s behind the camera", time.Duration(l.Delay).Round(100*time.Millisecond))
	if !l.LastPart.IsZero() {
		fmt.Fprintf(w, " (last part %s ago)", round(now.Sub(l.LastPart)))
	}
	if l.Dropped > 0 {
		fmt.Fprintf(w, ", %d parts dropped", l.Dropped)
	}
	fmt.Fprintln(w)
}
