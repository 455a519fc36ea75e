package supervisor

import (
	"context"
	"os"
	"time"

	"github.com/camshare/camshare/internal/config"
	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/live"
	"github.com/camshare/camshare/internal/status"
	"github.com/camshare/camshare/ship"
)

// statser is the running shipper as status sees it.
type statser interface {
	Stats() ship.Stats
	LiveStats() map[string]live.Stats
}

// keepShipper runs one shipper for every camera folder: DIR/CAMERA ships to
// FOLDER/CAMERA. After each upload it records it for status and wakes that
// camera's live pages.
func (s *Supervisor) keepShipper(ctx context.Context, cfg *config.Config, live liveKeepers) {
	p := part{name: "shipper", log: s.log, minWait: min(s.o.RestartMin, 10*time.Second), maxWait: s.o.RestartMax}
	p.keep(ctx, func(ctx context.Context) error {
		scheme, _ := cfg.Scheme()
		archive, err := archiveKey(cfg) // encrypt.go
		if err != nil {
			return err
		}
		var sources []ship.Source
		for _, c := range cfg.Cameras {
			// ship wants the folders to exist; the recorder may not
			// have made its own yet.
			if err := os.MkdirAll(CameraDir(cfg, c.Name), 0o755); err != nil {
				return err
			}
			dest, err := openRemote(ctx, cfg.CameraRemote(c.Name))
			if err != nil {
				return err
			}
			sources = append(sources, ship.Source{Name: c.Name, Dir: CameraDir(cfg, c.Name), Dest: dest, Encrypt: archive,
				OnlyActive: c.OnlyActive, KeepInactive: c.KeepInactive})
		}
		sh, err := ship.New(ship.Options{
			Sources: sources, Scheme: scheme, Rescan: s.o.Rescan,
			MaxLocal: cfg.MaxLocal, MinFree: cfg.MinFree, Log: s.log.With("part", "ship"),
			Live: cfg.Live.Enabled, // near-live parts while a page watches (S3 remotes)
			OnShipped: func(ctx context.Context, sh ship.Shipped) {
				defer s.recoverCallback("after upload")
				s.tracker.Update(func(st *status.State) {
					st.Ship.LastUpload, st.Ship.LastUploadFile = time.Now(), sh.Source+"/"+sh.Remote
				})
				s.tracker.Kick()
				live.shipped(sh)
			},
		})
		if err != nil {
			return err
		}
		s.shipMu.Lock()
		s.shipper, s.shipScheme = sh, scheme
		s.shipMu.Unlock()
		defer func() {
			s.shipMu.Lock()
			s.shipper = nil
			s.shipBefore = addCounts(s.shipBefore, sh.Stats())
			s.shipMu.Unlock()
		}()
		return sh.Run(ctx)
	})
}

// addCounts adds what a shipper that ended counted to the totals, so status
// counts since run started, not since the last restart.
func addCounts(a, b ship.Stats) ship.Stats {
	a.Shipped += b.Shipped
	a.Failed += b.Failed
	a.Dropped += b.Dropped
	a.Skipped += b.Skipped
	if b.DropReason != "" {
		a.DropReason = b.DropReason
	}
	if b.LastShipped.After(a.LastShipped) {
		a.LastShipped = b.LastShipped
	}
	return a
}

// fillShipStatus copies the shipper's counters (plus those of the shippers
// before it) into the status file.
func fillShipStatus(st *status.Ship, x, before ship.Stats, scheme *layout.Scheme) {
	total := addCounts(before, x)
	x.Shipped, x.Failed, x.Dropped, x.Skipped, x.DropReason, x.LastShipped =
		total.Shipped, total.Failed, total.Dropped, total.Skipped, total.DropReason, total.LastShipped
	st.Queued, st.QueuedBytes = x.Queued, x.QueuedBytes
	st.OldestFile, st.Oldest = x.Oldest, time.Time{}
	if t, ok := scheme.Time(x.Oldest); ok {
		st.Oldest = t
	}
	if !x.LastShipped.IsZero() {
		st.LastUpload = x.LastShipped
	}
	st.Shipped, st.Failed, st.Dropped, st.Outage = x.Shipped, x.Failed, x.Dropped, x.Outage
	st.DropReason = x.DropReason
}

// fillLiveStatus copies each camera's near-live view into the status file.
func fillLiveStatus(cams []status.Camera, views map[string]live.Stats) {
	for i := range cams {
		v, ok := views[cams[i].Name]
		if !ok {
			cams[i].Live = nil
			continue
		}
		cams[i].Live = &status.Live{Watched: v.Watched, Delay: status.Duration(v.Delay.Round(100 * time.Millisecond)),
			LastPart: v.LastPart, Dropped: v.Dropped}
	}
}
