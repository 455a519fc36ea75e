package supervisor

import (
	"context"
	"errors"
	"sync"

	"github.com/camshare/camshare/internal/config"
	"github.com/camshare/camshare/internal/status"
	"github.com/camshare/camshare/share"
)

// liveKicks wakes a camera's page refresher after an upload. Kicks
// coalesce: ten uploads during one refresh cause one more refresh.
type liveKicks map[string]chan struct{}

func (k liveKicks) kick(camera string) {
	if ch, ok := k[camera]; ok {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// startLive writes each camera's page at start and refreshes its index
// after every upload of that camera.
func (s *Supervisor) startLive(ctx context.Context, cfg *config.Config, wg *sync.WaitGroup) liveKicks {
	if !cfg.Live.Enabled {
		return nil
	}
	kicks := liveKicks{}
	for _, c := range cfg.Cameras {
		ch := make(chan struct{}, 1)
		kicks[c.Name] = ch
		log := s.log.With("camera", c.Name)
		p := part{name: "live page", log: log, minWait: s.o.RestartMin, maxWait: s.o.RestartMax}
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.keep(ctx, func(ctx context.Context) error { return s.livePage(ctx, cfg, c.Name, ch) })
		}()
	}
	return kicks
}

func (s *Supervisor) livePage(ctx context.Context, cfg *config.Config, name string, kick <-chan struct{}) error {
	log := s.log.With("camera", name)
	dest, err := openRemote(ctx, cfg.CameraRemote(name))
	if err != nil {
		return err
	}
	scheme, _ := cfg.Scheme()
	title := name
	if cfg.Live.Title != "" {
		title = cfg.Live.Title + " – " + name
	}
	o := share.Options{Dest: dest, Scheme: scheme, Window: cfg.Live.Window, Expire: cfg.Live.Expire,
		Title: title, Relative: dest.Features().IsLocal, Log: log}
	url, warnings, err := share.WritePage(ctx, o)
	var noLinks *share.NoLinksError
	if errors.As(err, &noLinks) {
		// Not fixable by retrying: say it once and leave the page off.
		log.Warn("live page off for this remote", "why", err)
		<-ctx.Done()
		return nil
	}
	if err != nil {
		return err
	}
	for _, w := range warnings {
		log.Warn("live page", "warning", w)
	}
	log.Info("live page", "url", url)
	s.tracker.Camera(name, func(st *status.Camera) { st.Page = url })
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-kick:
			if err := share.RefreshIndex(ctx, o); err != nil && ctx.Err() == nil {
				log.Warn("refreshing live page index", "err", err)
			}
		}
	}
}
