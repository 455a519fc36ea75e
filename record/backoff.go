package record

import (
	"math/rand/v2"
	"time"
)

// backoff paces reconnects: capped exponential with jitter, so a camera that
// is rebooting is retried soon, a dead one costs nothing, and several
// recorders behind one flaky Wi-Fi link do not retry in lockstep.
type backoff struct {
	min, max time.Duration
	cur      time.Duration
}

func newBackoff(min, max time.Duration) *backoff {
	return &backoff{min: min, max: max}
}

// next is the wait before the next attempt: the nominal delay (doubling
// from min up to max) scaled by a random factor in [0.5, 1.0].
func (b *backoff) next() time.Duration {
	if b.cur == 0 {
		b.cur = b.min
	} else {
		b.cur = min(b.cur*2, b.max)
	}
	return time.Duration(float64(b.cur) * (0.5 + 0.5*rand.Float64()))
}

// reset starts over after a connection that worked.
func (b *backoff) reset() { b.cur = 0 }
