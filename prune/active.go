package prune

import (
	"context"
	"time"

	"github.com/camshare/camshare/internal/archive"
	"github.com/camshare/camshare/internal/sidecar"
)

// keepForActivity says whether a segment past the retention stays for
// --keep-active: it is younger than that longer cut and its sidecar shows
// activity, or there is no sidecar to say (an archive from before sidecars,
// a recovered segment) or it cannot be read. One small GET per segment in
// the band between the two cuts; after the first run only the segments that
// crossed the short cut since, and the active ones kept, are read again.
func (p *plan) keepForActivity(ctx context.Context, seg archive.Segment) bool {
	if p.activeCut.IsZero() || seg.Start.Before(p.activeCut) {
		return false
	}
	keep := p.activeOrUnknown(ctx, seg)
	if keep {
		p.keptActive++
	}
	return keep
}

func (p *plan) activeOrUnknown(ctx context.Context, seg archive.Segment) bool {
	if seg.Sidecar == nil {
		return true
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	rc, err := seg.Sidecar.Open(ctx)
	if err != nil {
		p.o.Log.Warn("prune: cannot read a sidecar; keeping its segment", "path", seg.Sidecar.Remote(), "err", err)
		return true
	}
	defer rc.Close()
	m, err := sidecar.Read(rc, p.o.Key)
	if err != nil {
		p.o.Log.Warn("prune: cannot read a sidecar; keeping its segment", "path", seg.Sidecar.Remote(), "err", err)
		return true
	}
	return m.Active()
}
