package cmd

import (
	"context"
	"errors"
	"log/slog"
	"sync"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/archive"
	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/share"
	"github.com/camshare/camshare/ship"
)

// updatePage is ship's --update-page: after each segment reaches dest, the
// share page's live index gains it (one read, one link, one write; no
// listing). With no page there yet, one is written for the last hour and
// its link logged, so `ship --update-page` alone gives a live page.
func updatePage(dest fs.Fs, scheme *layout.Scheme, log *slog.Logger) func(context.Context, ship.Shipped) {
	var (
		mu  sync.Mutex
		off bool // the remote can't have a page: said once, then quiet
	)
	return func(ctx context.Context, s ship.Shipped) {
		mu.Lock()
		defer mu.Unlock()
		if off {
			return
		}
		o := share.Options{Dest: dest, Scheme: scheme, Log: log, Relative: dest.Features().IsLocal,
			Added: []archive.Segment{{Path: s.Remote, Start: s.Start, Size: s.Size}}}
		err := share.RefreshIndex(ctx, o)
		if errors.Is(err, share.ErrNoPage) {
			o.Window = share.DefaultWindow
			var url string
			var warnings []string
			if url, warnings, err = share.WritePage(ctx, o); err == nil {
				for _, w := range warnings {
					log.Warn("live page", "warning", w)
				}
				log.Info("live page written", "url", url)
			}
		}
		var noLinks *share.NoLinksError
		switch {
		case errors.As(err, &noLinks):
			off = true
			log.Warn("--update-page is off for this remote", "why", err.Error())
		case err != nil && ctx.Err() == nil:
			log.Warn("updating the live page", "segment", s.Remote, "err", err.Error())
		}
	}
}
