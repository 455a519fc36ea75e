package record

import (
	"errors"
	"time"

	"github.com/camshare/camshare/internal/backoff"
)

// reconnects paces reconnects with camshare's one retry policy: a camera that
// streamed before and stops answering is probed every couple of seconds, so
// recording resumes soon after it is back; one that refuses (401, 404) or was
// never reached backs off to max.
type reconnects struct{ b *backoff.Backoff }

func newBackoff(min, max time.Duration) *reconnects {
	p := backoff.Default
	p.Min, p.Max = min, max
	return &reconnects{backoff.New(p)}
}

// next is the wait before the next attempt after err.
func (r *reconnects) next(err error) time.Duration {
	var refused *explained
	if isPermanent(err) || errors.As(err, &refused) {
		return r.b.Next(backoff.Failed)
	}
	return r.b.Next(backoff.Unreachable)
}

// reset is called once a connection works.
func (r *reconnects) reset() { r.b.Succeeded() }
