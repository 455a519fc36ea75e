package ship

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/backoff"
	"github.com/camshare/camshare/internal/remote"
)

// Run ships until ctx ends (nil then), or, with Once, until everything that
// was there at the start is shipped or given up on (an error if any was).
func (s *Shipper) Run(ctx context.Context) error {
	ci := fs.GetConfig(ctx)
	s.slots = make(chan struct{}, max(ci.Transfers, 1))
	for _, src := range s.sources {
		unlock, err := s.open(ctx, src)
		if err != nil {
			return err
		}
		defer unlock()
	}
	s.enforceCap()
	if st := s.Stats(); st.Queued > 0 {
		s.log.Info("shipping backlog", "segments", st.Queued, "bytes", st.QueuedBytes, "oldest", st.Oldest)
	}
	defer s.startLive(ctx)() // live.go
	var wg sync.WaitGroup
	for _, src := range s.sources {
		wg.Add(1)
		go func() { defer wg.Done(); s.work(ctx, src) }()
	}
	if s.o.Once {
		wg.Wait()
		return s.onceResult(ctx)
	}
	s.watch(ctx) // returns when ctx ends
	wg.Wait()
	return nil
}

// open gets one camera's folder ready: it waits for the folder to exist
// (ship may start before record), locks it against a second shipper, opens
// it for rclone and queues what is there.
func (s *Shipper) open(ctx context.Context, src *source) (unlock func(), err error) {
	if err := s.waitForDir(ctx, src); err != nil {
		return nil, err
	}
	unlock, err = lockDir(src.Dir)
	if err != nil {
		return nil, err
	}
	skipped := 0
	if src.local, err = remote.OpenLocal(ctx, src.Dir); err == nil {
		skipped, err = src.scan(s.scheme, s.log)
	}
	if skipped > 0 {
		s.count(func(st *Stats) { st.Skipped += skipped })
		s.noteErr(fmt.Sprintf("%d file(s) in %s with a segment's name are not footage (see the warnings)", skipped, src.Dir))
	}
	if err != nil {
		unlock()
		return nil, fmt.Errorf("folder %q: %v", src.Dir, err)
	}
	return unlock, nil
}

// waitForDir returns once src.Dir exists; --once does not wait.
func (s *Shipper) waitForDir(ctx context.Context, src *source) error {
	for logged := false; ; {
		err := CheckDir(src.Dir)
		if err == nil || !errors.Is(err, errNoDir) || s.o.Once {
			return err
		}
		if !logged {
			s.log.Info("waiting for the folder to appear", "camera", src.Name, "dir", src.Dir)
			logged = true
		}
		if !sleep(ctx, time.Second) {
			return ctx.Err()
		}
	}
}

// retryPolicy paces attempts at a failing remote (tests make it faster).
var retryPolicy = backoff.Policy{Probe: 2 * time.Second, Min: time.Second, Max: time.Minute}

// work ships one camera's queue in order: forever, or with Once until it is
// empty. While the remote fails it retries the oldest segment (newer ones
// wait behind it so they still arrive in order), probing often when the
// remote worked before, and with Once it gives the camera up after a few
// attempts, leaving its segments local.
func (s *Shipper) work(ctx context.Context, src *source) {
	retry := backoff.New(retryPolicy)
	failures := 0
	for ctx.Err() == nil {
		it, ok := src.q.next()
		if !ok {
			if s.o.Once || !src.q.waitForMore(ctx) {
				return
			}
			continue
		}
		err := s.shipOne(ctx, src, it)
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			failures = 0
			retry.Succeeded()
			continue
		}
		if failures++; s.o.Once && failures >= onceAttempts {
			s.giveUp(src)
			return
		}
		// The failed segment was in flight while a new one may have pushed
		// the queue over the cap: settle that now, not at the next event.
		s.enforceCap()
		sleep(ctx, retry.Next(failureKind(err)))
	}
}

// onceAttempts is how often --once tries a camera's remote before giving up.
const onceAttempts = 3

// giveUp counts what --once leaves behind for a camera whose remote fails.
func (s *Shipper) giveUp(src *source) {
	n, _, _, _ := src.q.summary()
	s.count(func(st *Stats) { st.Failed += n })
}

// onceResult is --once's verdict: an error naming the first failure when
// anything was not shipped (or skipped as junk).
func (s *Shipper) onceResult(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	st := s.Stats()
	if st.Failed == 0 && st.Skipped == 0 {
		return nil
	}
	s.mu.Lock()
	why := s.firstErr
	s.mu.Unlock()
	if st.Failed == 0 {
		return fmt.Errorf("%d file(s) skipped, not footage: %s", st.Skipped, why)
	}
	return fmt.Errorf("%d segment(s) not shipped: %s", st.Failed, why)
}
