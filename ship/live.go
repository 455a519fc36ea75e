package ship

import (
	"context"
	"sync"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/live"
)

// The near-live view (Options.Live, package internal/live): each camera
// gets a live.Stream that cuts the segment being recorded into parts while
// someone watches. It runs beside the camera's worker, never in it: the
// worker only tells it, from local facts, when a segment is about to move
// (so its tail is cut from the file while it is still here) and when it
// has shipped (so its parts go).

// startLive starts every camera's stream; the returned wait ends them.
func (s *Shipper) startLive(ctx context.Context) (wait func()) {
	var wg sync.WaitGroup
	if !s.o.Live || s.o.Once {
		return wg.Wait
	}
	for _, src := range s.sources {
		st, err := live.New(live.Options{Camera: src.Name, Dir: src.Dir, Dest: src.Dest, Scheme: s.scheme,
			Seal: src.Encrypt, Yield: s.partsYield(ctx, src), Log: s.log})
		if err != nil {
			s.log.Info("no live view", "camera", src.Name, "why", err.Error())
			continue
		}
		src.live = st
		wg.Add(1)
		go func() { defer wg.Done(); st.Run(ctx) }()
	}
	return wg.Wait
}

// partsYield: parts wait while the camera's remote is failing, and with
// --bwlimit while any segment is uploading (segments are the record).
func (s *Shipper) partsYield(ctx context.Context, src *source) func() bool {
	ci := fs.GetConfig(ctx)
	return func() bool {
		if src.down() {
			return true
		}
		return ci.BwLimit.LimitAt(time.Now()).Bandwidth.Tx > 0 && len(s.slots) > 0
	}
}

// LiveStats is each camera's live view, by camera name (empty without Live).
func (s *Shipper) LiveStats() map[string]live.Stats {
	out := map[string]live.Stats{}
	for _, src := range s.sources {
		if src.live != nil {
			out[src.Name] = src.live.Stats()
		}
	}
	return out
}
