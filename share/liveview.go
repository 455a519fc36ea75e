package share

import (
	"context"
	"time"

	"github.com/camshare/camshare/internal/live"
)

// liveView is one camera's near-live view as the page reads it from
// latest.json: the signed link to its live index (internal/live) and, for
// an encrypted archive, the live key. The key is only ever in a sealed
// latest document (and an encrypted archive's page embeds none).
type liveView struct {
	Camera string `json:"camera"`
	Index  string `json:"index"`
	Key    string `json:"key,omitempty"`
}

// liveLinkLife is how long a live index link lasts: as long as the
// share's links, at most S3's 7 days; each refresh (every shipped segment)
// signs a new one, so a watched page always has a fresh link.
func liveLinkLife(o *Options) time.Duration { return min(o.expire(), 7*24*time.Hour) }

// liveViews is the share's live views: the camera of o.Dest first, then
// o.OtherLive's, each when its remote has a live stream (S3, and camshare
// has run it there once: its heartbeat object exists). None: the page
// plays the newest closed segment as before.
func liveViews(ctx context.Context, o *Options, r *record) []liveView {
	own := r.Camera
	if own == "" {
		own = r.Title
	}
	key := ""
	if o.Seal != nil {
		key = live.LiveKey(o.Seal) // one archive key: one live key for every camera
	}
	var out []liveView
	for _, c := range append([]LiveCamera{{Name: own, Dest: o.Dest}}, o.OtherLive...) {
		link, err := live.IndexLink(ctx, c.Dest, o.Seal != nil, liveLinkLife(o))
		if err != nil {
			o.log().Debug("share page without a live view", "camera", c.Name, "why", err.Error())
			continue
		}
		out = append(out, liveView{Camera: c.Name, Index: link, Key: key})
	}
	return out
}
