// Package run is camshare's supervisor: one process that records every
// camera in the config, ships what they close through one shipper, prunes
// the remote on a schedule, keeps each camera's live page fresh, and writes
// the status file. Parts are independent: a camera that is down or has the
// wrong password never stops the others, and a part that panics is
// recovered, logged and restarted. SIGHUP-style reloads start and stop only
// the cameras that changed.
package supervisor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/camshare/camshare/internal/config"
	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/status"
	"github.com/camshare/camshare/ship"
)

// Options configure a supervisor.
type Options struct {
	Config   *config.Config
	Log      *slog.Logger
	Version  string
	Interval time.Duration // status file refresh; default 5s
	// Shutdown is how long Run waits for parts to stop (segments to close,
	// the upload in flight) once ctx ends; default 10s.
	Shutdown time.Duration
	// RestartMin/RestartMax pace restarts of a part that stopped (a camera
	// refusing our password, a panic); defaults 30s and 10m.
	RestartMin, RestartMax time.Duration
	// Rescan is how often the shipper rescans the folders (0 = ship's default).
	Rescan time.Duration
}

// Supervisor runs everything in one config.
type Supervisor struct {
	o       Options
	log     *slog.Logger
	tracker *status.Tracker
	reload  chan *config.Config

	wg       sync.WaitGroup // every goroutine started, for shutdown
	cams     map[string]*camera
	shipping *group // shipper and live pages: restarted when shipKey changes
	pruning  *group // pruner: restarted when pruneKey changes
	cfg      *config.Config

	shipMu     sync.Mutex
	shipper    statser // the running shipper, for status; nil between restarts
	shipScheme *layout.Scheme
	shipBefore ship.Stats // counters of the shippers that ran before this one
}

// group is a set of goroutines with one cancel.
type group struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// New checks the options.
func New(o Options) (*Supervisor, error) {
	if o.Config == nil {
		return nil, errors.New("run: no config")
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Interval <= 0 {
		o.Interval = 5 * time.Second
	}
	if o.Shutdown <= 0 {
		o.Shutdown = 10 * time.Second
	}
	if o.RestartMin <= 0 {
		o.RestartMin = 30 * time.Second
	}
	if o.RestartMax < o.RestartMin {
		o.RestartMax = max(10*time.Minute, o.RestartMin)
	}
	return &Supervisor{o: o, log: o.Log, reload: make(chan *config.Config, 1), cams: map[string]*camera{}}, nil
}

// Reload hands over a new, already checked config; Run applies it between
// events. Only the latest pending one counts.
func (s *Supervisor) Reload(c *config.Config) {
	for {
		select {
		case s.reload <- c:
			return
		default:
		}
		select {
		case <-s.reload:
		default:
		}
	}
}

// Run supervises until ctx ends, then stops every part (closing open
// segments) and returns nil, or an error when it could not start at all.
func (s *Supervisor) Run(ctx context.Context) error {
	cfg := s.o.Config
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return fmt.Errorf("dir: %v", err)
	}
	if _, err := cfg.Scheme(); err != nil {
		return err
	}
	now := time.Now()
	s.tracker = status.NewTracker(cfg.StatusPath(), status.State{
		Started: now, PID: os.Getpid(), Version: s.o.Version, Config: cfg.Path,
		Interval: status.Duration(s.o.Interval), Disk: status.Disk{Path: cfg.Dir},
	})
	statusCtx, stopStatus := context.WithCancel(context.WithoutCancel(ctx))
	statusDone := make(chan struct{})
	go func() {
		defer close(statusDone)
		s.tracker.Run(statusCtx, s.o.Interval, s.refreshStatus, func(err error) {
			s.log.Warn("writing status file", "err", err)
		})
	}()
	defer func() {
		stopStatus()
		<-statusDone
		// Say so, rather than let status guess from a stale file.
		s.tracker.Update(func(st *status.State) {
			st.Stopped = time.Now()
			for i := range st.Cameras {
				st.Cameras[i].Connected = false
			}
		})
		if err := s.tracker.Flush(); err != nil {
			s.log.Warn("writing status file", "err", err)
		}
	}()

	s.log.Info("camshare run started", "cameras", len(cfg.Cameras), "remote", config.SafeRemote(cfg.Remote), "dir", cfg.Dir)
	s.apply(ctx, cfg)
	for {
		select {
		case <-ctx.Done():
			return s.shutdown()
		case c := <-s.reload:
			s.apply(ctx, c)
		}
	}
}

// shutdown waits for the parts ctx has already told to stop.
func (s *Supervisor) shutdown() error {
	s.log.Info("stopping: closing open segments")
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		s.log.Info("stopped")
	case <-time.After(s.o.Shutdown):
		s.log.Warn("stopped without waiting for every part", "waited", s.o.Shutdown)
	}
	return nil
}

// refreshStatus pulls in what is polled: queue stats and free disk.
func (s *Supervisor) refreshStatus(st *status.State) {
	if free, total, err := status.DiskUsage(st.Disk.Path); err == nil {
		st.Disk.Free, st.Disk.Total = free, total
	}
	s.shipMu.Lock()
	sh, scheme, before := s.shipper, s.shipScheme, s.shipBefore
	s.shipMu.Unlock()
	if sh != nil {
		fillShipStatus(&st.Ship, sh.Stats(), before, scheme)
		fillLiveStatus(st.Cameras, sh.LiveStats())
	}
}

// apply moves from the running set of parts to cfg's, touching only what
// changed: a camera whose settings are the same keeps recording.
func (s *Supervisor) apply(ctx context.Context, cfg *config.Config) {
	old := s.cfg
	s.cfg = cfg
	schemeChanged := old == nil || old.Layout != cfg.Layout || old.Dir != cfg.Dir
	want := map[string]config.Camera{}
	for _, c := range cfg.Cameras {
		want[c.Name] = c
	}
	for name, cam := range s.cams {
		if w, ok := want[name]; !ok || schemeChanged || !sameCamera(w, cam.cfg) {
			s.stopCamera(name)
		}
	}
	for _, c := range cfg.Cameras {
		if _, running := s.cams[c.Name]; !running {
			s.startCamera(ctx, cfg, c)
		}
	}
	if old == nil || shipKeyOf(old) != shipKeyOf(cfg) {
		s.restartShipping(ctx, cfg)
	}
	if old == nil || pruneKeyOf(old) != pruneKeyOf(cfg) {
		s.restartPruning(ctx, cfg)
	}
	s.tracker.Update(func(st *status.State) { st.Segment = status.Duration(longestSegment(cfg)) })
	if old != nil {
		s.log.Info("config reloaded", "cameras", len(cfg.Cameras))
	}
	s.tracker.Kick()
}

func longestSegment(cfg *config.Config) time.Duration {
	var d time.Duration
	for _, c := range cfg.Cameras {
		d = max(d, c.Segment)
	}
	return d
}

func sameCamera(a, b config.Camera) bool {
	a.Line, b.Line = 0, 0
	return a == b
}

// shipKey is everything the shipper and the live pages depend on. A reload
// that leaves it alone (one camera's URL, password or segment length) keeps
// them running: the upload in flight goes on and the counters keep counting.
type shipKey struct {
	Remote, RcloneConfig, Dir string
	MaxLocal, MinFree         int64
	Layout                    config.Layout
	Live                      config.Live
	Encrypt                   bool
	KeyFile                   string
	Cameras                   string // the names, in order
}

// pruneKey is everything the pruner depends on.
type pruneKey struct {
	Remote, RcloneConfig, Dir string
	Layout                    config.Layout
	Retention                 config.Retention
	Cameras                   string // names and segment lengths, in order
}

func shipKeyOf(c *config.Config) shipKey {
	k := shipKey{Remote: c.Remote, RcloneConfig: c.RcloneConfig, Dir: c.Dir, MaxLocal: c.MaxLocal, MinFree: c.MinFree,
		Layout: c.Layout, Live: c.Live, Encrypt: c.Encrypt, KeyFile: c.KeyFile}
	for _, cam := range c.Cameras {
		k.Cameras += fmt.Sprint(cam.Name, "\x00", cam.OnlyActive, cam.KeepInactive, "\x00")
	}
	return k
}

func pruneKeyOf(c *config.Config) pruneKey {
	k := pruneKey{Remote: c.Remote, RcloneConfig: c.RcloneConfig, Dir: c.Dir, Layout: c.Layout, Retention: c.Retention}
	for _, cam := range c.Cameras {
		k.Cameras += cam.Name + "\x00" + cam.Segment.String() + "\x00"
	}
	return k
}

// restartShipping stops the shipper and page refreshers (an upload in
// flight is abandoned; its file stays and ships again) and starts them for
// cfg.
func (s *Supervisor) restartShipping(ctx context.Context, cfg *config.Config) {
	s.shipping = s.restartGroup(ctx, s.shipping, func(gctx context.Context, inner *sync.WaitGroup) {
		live := s.startLive(gctx, cfg, inner)
		inner.Add(1)
		go func() { defer inner.Done(); s.keepShipper(gctx, cfg, live) }()
	})
}

// restartPruning stops the pruner and starts it for cfg.
func (s *Supervisor) restartPruning(ctx context.Context, cfg *config.Config) {
	s.pruning = s.restartGroup(ctx, s.pruning, func(gctx context.Context, inner *sync.WaitGroup) {
		inner.Add(1)
		go func() { defer inner.Done(); s.keepPruner(gctx, cfg) }()
	})
}

// restartGroup stops old (waiting at most the shutdown time: a part stuck in
// a call without a context must not hang the reload) and starts a new group
// whose goroutines start adds to inner.
func (s *Supervisor) restartGroup(ctx context.Context, old *group, start func(context.Context, *sync.WaitGroup)) *group {
	if old != nil {
		old.cancel()
		select {
		case <-old.done:
		case <-time.After(s.o.Shutdown):
			s.log.Warn("restarting without waiting for every part", "waited", s.o.Shutdown)
		}
	}
	gctx, cancel := context.WithCancel(ctx)
	g := &group{cancel: cancel, done: make(chan struct{})}
	var inner sync.WaitGroup
	start(gctx, &inner)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		inner.Wait()
		close(g.done)
	}()
	return g
}
