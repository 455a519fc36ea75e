package supervisor

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/camshare/camshare/internal/backoff"
)

// part is one supervised piece (a recorder, the shipper, the pruner).
type part struct {
	name string
	log  *slog.Logger
	// minWait/maxWait pace restarts after an error or a panic with
	// camshare's one backoff: doubling, reset after a run that lasted
	// longer than maxWait.
	minWait, maxWait time.Duration
	// onExit is told each time the part stops before ctx ends.
	onExit func(err error)
}

// keep runs fn until ctx ends, restarting it whenever it returns early or
// panics. A panic is recovered and logged with its stack: one broken part
// must never take the others (and the process) down.
func (p part) keep(ctx context.Context, fn func(context.Context) error) {
	retry := backoff.New(backoff.Policy{Probe: p.minWait, Min: p.minWait, Max: p.maxWait})
	for ctx.Err() == nil {
		began := time.Now()
		err := p.once(ctx, fn)
		if ctx.Err() != nil {
			return
		}
		if time.Since(began) > p.maxWait {
			retry.Succeeded()
		}
		wait := retry.Next(backoff.Failed)
		if err == nil {
			err = fmt.Errorf("stopped by itself")
		}
		if p.onExit != nil {
			p.onExit(err)
		}
		p.log.Warn("restarting "+p.name, "in", wait.Round(time.Second), "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

func (p part) once(ctx context.Context, fn func(context.Context) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			p.log.Error(p.name+" panicked", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return fn(ctx)
}

// recoverCallback is deferred by code camshare hands to other packages'
// goroutines (event hooks): a bug there is logged, not fatal.
func (s *Supervisor) recoverCallback(what string) {
	if r := recover(); r != nil {
		s.log.Error(what+" panicked", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
	}
}
