package supervisor

import (
	"context"
	"path/filepath"
	"time"

	"github.com/camshare/camshare/internal/config"
	"github.com/camshare/camshare/internal/status"
	"github.com/camshare/camshare/record"
)

// camera is one running recorder.
type camera struct {
	cfg    config.Camera
	cancel context.CancelFunc
	done   chan struct{}
}

// CameraDir is where a camera's segments wait to ship.
func CameraDir(cfg *config.Config, name string) string {
	return filepath.Join(cfg.Dir, name)
}

func (s *Supervisor) startCamera(ctx context.Context, cfg *config.Config, c config.Camera) {
	scheme, _ := cfg.Scheme() // checked in Run and by config
	cctx, cancel := context.WithCancel(ctx)
	cam := &camera{cfg: c, cancel: cancel, done: make(chan struct{})}
	s.cams[c.Name] = cam
	log := s.log.With("camera", c.Name)
	started := time.Now()
	s.tracker.Camera(c.Name, func(st *status.Camera) {
		*st = status.Camera{Name: c.Name, Since: started, Page: st.Page}
	})
	opts := record.Options{
		URL: c.URL, Password: c.Password, Dir: CameraDir(cfg, c.Name), Segment: c.Segment,
		Scheme: scheme, Transport: c.Transport, Audio: c.Audio, Log: log,
		Events: s.cameraEvents(c.Name), Camera: c.Name, TimelapseEvery: c.TimelapseEvery,
	}
	p := part{name: "recorder", log: log, minWait: s.o.RestartMin, maxWait: s.o.RestartMax,
		onExit: func(err error) {
			// record.Run only returns early on what retrying cannot fix
			// (bad URL, 401, 404, codec): say so, and try again slowly in
			// case the camera was mid-reboot or gets fixed.
			s.tracker.Camera(c.Name, func(st *status.Camera) {
				if st.Connected || !st.Stopped {
					st.Since = time.Now()
				}
				st.Connected, st.Stopped = false, true
				st.LastError, st.LastErrorAt = err.Error(), time.Now()
			})
			s.tracker.Kick()
		}}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(cam.done)
		p.keep(cctx, func(ctx context.Context) error { return record.Run(ctx, opts) })
	}()
}

// stopCamera stops a recorder and waits for its open segment to close.
func (s *Supervisor) stopCamera(name string) {
	cam := s.cams[name]
	delete(s.cams, name)
	cam.cancel()
	<-cam.done
	s.tracker.RemoveCamera(name)
	s.log.Info("camera stopped", "camera", name)
}

// cameraEvents turns a recorder's events into status.
func (s *Supervisor) cameraEvents(name string) func(record.Event) {
	connectedOnce := false
	return func(e record.Event) {
		// Runs on the recorder's goroutines, outside keep's reach.
		defer s.recoverCallback("camera events")
		s.tracker.Camera(name, func(st *status.Camera) {
			switch e.Kind {
			case record.Connected:
				if connectedOnce {
					st.Reconnects++
				}
				connectedOnce = true
				st.Connected, st.Stopped, st.Since = true, false, e.Time
			case record.Disconnected:
				st.Connected, st.Since = false, e.Time
				if e.Err != nil {
					st.LastError, st.LastErrorAt = e.Err.Error(), e.Time
				}
			case record.AudioDropped:
				st.AudioDropped = e.Dropped
			case record.SegmentClosed, record.Recovered:
				if e.Segment != nil {
					st.LastSegment, st.LastSegmentSize, st.LastSegmentAt = e.Segment.Name, e.Segment.Size, e.Time
				}
			}
		})
		s.tracker.Kick()
	}
}
