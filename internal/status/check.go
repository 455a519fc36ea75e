package status

import (
	"fmt"
	"time"

	"github.com/camshare/camshare/internal/units"
)

// Limits say when something counts as wrong.
type Limits struct {
	CameraDown time.Duration // a camera down longer than this (default 5m)
	QueueAge   time.Duration // oldest unshipped segment closed longer ago than this: the queue is not draining (default 30m)
	Stale      time.Duration // state file older than this: run is not running (default 3 intervals, at least 30s)
	MinFree    int64         // free disk below this (0 = not checked)
}

func (l Limits) withDefaults(s State) Limits {
	if l.CameraDown <= 0 {
		l.CameraDown = 5 * time.Minute
	}
	if l.QueueAge <= 0 {
		l.QueueAge = 30 * time.Minute
	}
	if l.Stale <= 0 {
		l.Stale = max(3*time.Duration(s.Interval), 30*time.Second)
	}
	return l
}

// Problems lists what is wrong at now; none means healthy.
func Problems(s State, now time.Time, l Limits) []string {
	l = l.withDefaults(s)
	var out []string
	if !s.Stopped.IsZero() {
		return append(out, fmt.Sprintf("camshare run stopped at %s", s.Stopped.Format(time.DateTime)))
	}
	if age := now.Sub(s.Updated); age > l.Stale {
		out = append(out, fmt.Sprintf("state file not updated for %s: camshare run is not running", round(age)))
	}
	for _, c := range s.Cameras {
		switch {
		case c.Stopped:
			out = append(out, fmt.Sprintf("camera %s stopped: %s", c.Name, c.LastError))
		case !c.Connected && now.Sub(c.Since) > l.CameraDown:
			msg := fmt.Sprintf("camera %s down for %s", c.Name, round(now.Sub(c.Since)))
			if c.LastError != "" {
				msg += ": " + c.LastError
			}
			out = append(out, msg)
		}
	}
	if !s.Ship.Oldest.IsZero() && now.Sub(s.Ship.Oldest)-time.Duration(s.Segment) > l.QueueAge {
		msg := fmt.Sprintf("upload queue growing: %d segments (%s) waiting, oldest from %s ago",
			s.Ship.Queued, units.FormatSize(s.Ship.QueuedBytes), round(now.Sub(s.Ship.Oldest)))
		if s.Ship.LastError != "" {
			msg += ": " + s.Ship.LastError
		}
		out = append(out, msg)
	}
	if l.MinFree > 0 && s.Disk.Total > 0 && s.Disk.Free < l.MinFree {
		out = append(out, fmt.Sprintf("disk nearly full: %s free in %s", units.FormatSize(s.Disk.Free), s.Disk.Path))
	}
	return out
}

func round(d time.Duration) time.Duration {
	if d > time.Minute {
		return d.Round(time.Minute)
	}
	return d.Round(time.Second)
}
