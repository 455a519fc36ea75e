package ship

import (
	"context"
	"time"
)

// backoff is the wait between attempts while a remote fails: doubling from
// First up to Max, so a long outage costs one cheap attempt a minute and a
// short one is over within seconds.
type backoff struct{ First, Max time.Duration }

var defaultBackoff = backoff{First: time.Second, Max: time.Minute}

func (b backoff) after(failures int) time.Duration {
	d := b.First
	for i := 1; i < failures && d < b.Max; i++ {
		d *= 2
	}
	return min(d, b.Max)
}

// sleep waits d or until ctx ends; false when ctx ended.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
