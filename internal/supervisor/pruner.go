package supervisor

import (
	"context"
	"time"

	"github.com/camshare/camshare/internal/config"
	"github.com/camshare/camshare/internal/redact"
	"github.com/camshare/camshare/internal/status"
	"github.com/camshare/camshare/prune"
)

// keepPruner prunes every camera's remote folder at start and then every
// Retention.Every. Without a retention or size cap there is nothing to do.
func (s *Supervisor) keepPruner(ctx context.Context, cfg *config.Config) {
	r := cfg.Retention
	if r.Keep == 0 && r.MaxSize == 0 {
		s.log.Info("pruning off: no retention.keep or retention.max_size in the config")
		return
	}
	p := part{name: "pruner", log: s.log, minWait: s.o.RestartMin, maxWait: s.o.RestartMax}
	p.keep(ctx, func(ctx context.Context) error {
		tick := time.NewTicker(r.Every)
		defer tick.Stop()
		for {
			s.pruneAll(ctx, cfg)
			select {
			case <-ctx.Done():
				return nil
			case <-tick.C:
			}
		}
	})
}

// pruneAll runs one pass over every camera; one camera failing does not
// skip the others.
func (s *Supervisor) pruneAll(ctx context.Context, cfg *config.Config) {
	scheme, _ := cfg.Scheme()
	total := status.Prune{}
	var errs []string
	for _, c := range cfg.Cameras {
		if ctx.Err() != nil {
			return
		}
		log := s.log.With("camera", c.Name)
		dest, err := openRemote(ctx, cfg.CameraRemote(c.Name))
		if err == nil {
			var res prune.Result
			res, err = prune.Run(ctx, prune.Options{Dest: dest, Scheme: scheme, Keep: cfg.Retention.Keep,
				MinKeep: cfg.Retention.MinKeep, MaxSize: cfg.Retention.MaxSize, Segment: c.Segment, Log: log})
			total.Deleted += res.DeletedFiles
			total.Freed += res.DeletedBytes
			if res.DeletedFiles > 0 {
				log.Info("pruned", "files", res.DeletedFiles, "bytes", res.DeletedBytes)
			}
			if n, lerr := prune.SweepLive(ctx, dest, scheme, c.Segment, time.Now(), false); n > 0 || lerr != nil {
				log.Info("swept live parts left behind", "folders", n, "err", lerr)
			}
		}
		if err != nil && ctx.Err() == nil {
			err = redact.Error(err)
			log.Warn("prune failed", "err", err)
			errs = append(errs, c.Name+": "+err.Error())
		}
	}
	total.Last = time.Now()
	if len(errs) > 0 {
		total.Error = errs[0]
		if len(errs) > 1 {
			total.Error += " (and more)"
		}
	}
	s.tracker.Update(func(st *status.State) { st.Prune = total })
	s.tracker.Kick()
}
