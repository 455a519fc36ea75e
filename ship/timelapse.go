package ship

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/layout"
)

// A day's timelapse (record/daily.go) is closed by the recorder after the
// scheme's midnight as timelapse-YYYYMMDD.mp4; ship moves it to the day's
// folder as timelapse-CAMERA.mp4 (layout.Scheme.TimelapsePath), sealed when
// the archive is, like a segment but never counted or announced as one.
// Its temp file, still growing, is left alone.

// offerTimelapse queues a closed timelapse. handled is false for anything
// that is not a timelapse name.
func (s *source) offerTimelapse(sc *layout.Scheme, name string) (handled bool) {
	day, closed, ok := sc.TimelapseOfLocal(name)
	if !ok {
		return false
	}
	if !closed {
		return true
	}
	path := filepath.Join(s.Dir, name)
	st, err := os.Lstat(path)
	if err != nil || !st.Mode().IsRegular() || notFootage(path, st) != "" {
		return true
	}
	s.q.add(name, day, st.Size())
	return true
}

// isTimelapse says whether a queued name is a day's timelapse.
func (s *Shipper) isTimelapse(name string) bool {
	_, closed, ok := s.scheme.TimelapseOfLocal(name)
	return ok && closed
}

// moveTimelapse ships one closed timelapse to its day's folder. The
// recorder writes a day's file once, so a different file already there is
// an older or torn copy of this one and is replaced.
func (s *Shipper) moveTimelapse(ctx context.Context, src *source, name string, day time.Time) (string, error) {
	remote := s.scheme.TimelapsePath(day, src.Name)
	local, err := src.local.NewObject(ctx, name)
	if errors.Is(err, fs.ErrorObjectNotFound) {
		return "", errGone
	}
	if err != nil {
		return "", err
	}
	if fs.GetConfig(ctx).DryRun {
		return remote, nil
	}
	t := transferFor(src)
	existing, err := src.Dest.NewObject(ctx, remote)
	switch {
	case errors.Is(err, fs.ErrorObjectNotFound):
		existing = nil
	case err != nil:
		return "", err
	default:
		if v, err := t.compare(ctx, local, existing); err == nil && v == same {
			return remote, local.Remove(ctx)
		}
	}
	return remote, t.put(ctx, src.Dest, existing, remote, local)
}
