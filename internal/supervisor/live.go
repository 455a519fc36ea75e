package supervisor

import (
	"context"
	"sync"

	"github.com/camshare/camshare/internal/archive"
	"github.com/camshare/camshare/internal/config"
	"github.com/camshare/camshare/internal/status"
	"github.com/camshare/camshare/share"
	"github.com/camshare/camshare/ship"
)

// liveKeepers are each camera's share.Keeper: every live page of the
// camera's folder follows its uploads (the rules are share's); with
// live: enabled, run also keeps a page of its own there and renews it
// before its link expires.
type liveKeepers map[string]*share.Keeper

// shipped hands an upload to its camera's keeper (never blocks).
func (k liveKeepers) shipped(sh ship.Shipped) {
	if kp, ok := k[sh.Source]; ok {
		kp.Note(archive.Segment{Path: sh.Remote, Start: sh.Start, Size: sh.Size})
	}
}

// startLive starts one keeper per camera.
func (s *Supervisor) startLive(ctx context.Context, cfg *config.Config, wg *sync.WaitGroup) liveKeepers {
	keepers := liveKeepers{}
	for _, c := range cfg.Cameras {
		name := c.Name
		kp := &share.Keeper{Log: s.log.With("camera", name)}
		keepers[name] = kp
		p := part{name: "live pages", log: kp.Log, minWait: s.o.RestartMin, maxWait: s.o.RestartMax}
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.keep(ctx, func(ctx context.Context) error { return s.keepLive(ctx, cfg, name, kp) })
		}()
	}
	return keepers
}

func (s *Supervisor) keepLive(ctx context.Context, cfg *config.Config, name string, kp *share.Keeper) error {
	dest, err := openRemote(ctx, cfg.CameraRemote(name))
	if err != nil {
		return err
	}
	scheme, _ := cfg.Scheme()
	archive, err := archiveKey(cfg) // encrypt: true: every page of the folder is sealed, and decrypts in the browser
	if err != nil {
		return err
	}
	kp.Dest, kp.Scheme, kp.Seal = dest, scheme, archive
	if cfg.Live.Enabled {
		title := name
		if cfg.Live.Title != "" {
			title = cfg.Live.Title + " – " + name
		}
		others, err := otherCameras(ctx, cfg, name)
		if err != nil {
			return err
		}
		kp.Own = &share.Options{Window: cfg.Live.Window, Expire: cfg.Live.Expire, Title: title, Camera: name,
			Relative: dest.Features().IsLocal, Owner: "run", OtherLive: others}
		kp.OnPage = func(p *share.Published) {
			s.tracker.Camera(name, func(st *status.Camera) { st.Page = p.URL })
		}
	}
	kp.Run(ctx)
	return nil
}

// otherCameras are the config's cameras but name: run's page of one camera
// offers each one's live view too (share's camera picker).
func otherCameras(ctx context.Context, cfg *config.Config, name string) ([]share.LiveCamera, error) {
	var out []share.LiveCamera
	for _, c := range cfg.Cameras {
		if c.Name == name {
			continue
		}
		dest, err := openRemote(ctx, cfg.CameraRemote(c.Name))
		if err != nil {
			return nil, err
		}
		out = append(out, share.LiveCamera{Name: c.Name, Dest: dest})
	}
	return out, nil
}
