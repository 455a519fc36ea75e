package ship

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rclone/rclone/fs"
)

// Run ships until ctx ends (nil then), or, with Once, until everything that
// was there at the start is shipped or given up on (an error if any was).
func (s *Shipper) Run(ctx context.Context) error {
	ci := fs.GetConfig(ctx)
	s.slots = make(chan struct{}, max(ci.Transfers, 1))
	for _, src := range s.sources {
		abs, err := filepath.Abs(src.Dir)
		if err != nil {
			return fmt.Errorf("folder %q: %v", src.Dir, err)
		}
		// ":local:" so a folder name with a colon is not read as a remote.
		f, err := fs.NewFs(ctx, ":local:"+abs)
		if err != nil {
			return fmt.Errorf("folder %q: %v", src.Dir, err)
		}
		src.local = f
		if err := src.scan(s.scheme); err != nil {
			return fmt.Errorf("folder %q: %v", src.Dir, err)
		}
	}
	s.enforceCap()
	if st := s.Stats(); st.Queued > 0 {
		s.log.Info("shipping backlog", "segments", st.Queued, "bytes", st.QueuedBytes, "oldest", st.Oldest)
	}

	if s.o.Once {
		return s.runOnce(ctx)
	}
	var wg sync.WaitGroup
	for _, src := range s.sources {
		wg.Add(1)
		go func() { defer wg.Done(); s.work(ctx, src) }()
	}
	s.watch(ctx) // returns when ctx ends
	wg.Wait()
	return nil
}

// work ships one camera's queue in order, forever. While its remote fails it
// retries the oldest segment with a growing pause; newer ones wait behind it
// so they still arrive in order.
func (s *Shipper) work(ctx context.Context, src *source) {
	failures := 0
	for ctx.Err() == nil {
		it, ok := src.q.next()
		if !ok {
			select {
			case <-ctx.Done():
				return
			case <-src.q.wake:
			}
			continue
		}
		err := s.shipOne(ctx, src, it)
		if err == nil || ctx.Err() != nil {
			failures = 0
			continue
		}
		failures++
		// The failed segment was in flight while a new one may have pushed
		// the queue over the cap: settle that now, not at the next event.
		s.enforceCap()
		if !sleep(ctx, s.backoff.after(failures)) {
			return
		}
	}
}

// runOnce ships what was found at the start. A camera whose remote keeps
// failing is given up after a few attempts; its segments stay local.
func (s *Shipper) runOnce(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, src := range s.sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			failures := 0
			for ctx.Err() == nil {
				it, ok := src.q.next()
				if !ok {
					return
				}
				err := s.shipOne(ctx, src, it)
				if err == nil {
					failures = 0
					continue
				}
				if failures++; failures >= onceAttempts {
					n, _, _, _ := src.q.summary()
					s.count(func(st *Stats) { st.Failed += n })
					return
				}
				sleep(ctx, s.backoff.after(failures))
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	if st := s.Stats(); st.Failed > 0 {
		s.mu.Lock()
		why := s.firstErr
		s.mu.Unlock()
		return fmt.Errorf("%d segment(s) not shipped: %s", st.Failed, why)
	}
	return nil
}

// onceAttempts is how often --once tries a camera's remote before giving up.
const onceAttempts = 3

// shipOne makes one attempt at one segment and keeps the books: the outage
// log lines, the stats, OnShipped.
func (s *Shipper) shipOne(ctx context.Context, src *source, it item) error {
	began := time.Now()
	s.slots <- struct{}{}
	remote, uploaded, err := s.move(ctx, src, it.name)
	<-s.slots
	local := filepath.Join(src.Dir, it.name)
	switch {
	case errors.Is(err, errGone):
		src.q.done(it.name, true)
		s.log.Debug("segment vanished before shipping", "camera", src.Name, "file", local)
		return nil
	case err != nil && ctx.Err() != nil:
		if reason := src.q.done(it.name, false); reason != "" {
			s.drop(src, it.name, it.size, reason)
		}
		return err
	case err != nil && (errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EIO) || isLocalError(src, it.name)):
		// Unreadable here (permissions, a failing SD card): no remote will
		// fix it. Report once, leave it, let the queue behind it go.
		src.q.done(it.name, true)
		src.mu.Lock()
		src.bad[it.name] = true
		src.mu.Unlock()
		why := strings.Join(strings.Fields(err.Error()), " ")
		s.count(func(st *Stats) { st.Failed++ })
		s.noteErr(why)
		s.log.Error("cannot ship segment", "camera", src.Name, "file", local, "err", why)
		return nil
	case err != nil:
		if reason := src.q.done(it.name, false); reason != "" {
			s.drop(src, it.name, it.size, reason)
		}
		s.noteErr(oneLine(err))
		s.outage(src, err)
		return err
	}
	src.q.done(it.name, true)
	s.recovered(src)
	if fs.GetConfig(ctx).DryRun {
		s.log.Info("would ship", "camera", src.Name, "file", local, "remote", fs.ConfigString(src.Dest)+"/"+remote)
		src.mu.Lock()
		src.bad[it.name] = true // don't offer it again in this run
		src.mu.Unlock()
		return nil
	}
	sh := Shipped{Source: src.Name, Local: local, Remote: remote, Start: it.start, Size: it.size,
		Took: time.Since(began), Uploaded: uploaded}
	s.count(func(st *Stats) { st.Shipped++; st.LastShipped = time.Now() })
	s.log.Info("shipped", "camera", src.Name, "file", it.name, "remote", remote, "bytes", it.size,
		"took", sh.Took.Round(time.Millisecond), "uploaded", uploaded)
	if s.o.OnShipped != nil {
		s.o.OnShipped(ctx, sh)
	}
	return nil
}

// outage logs the first failure of a run of failures, and only that.
func (s *Shipper) outage(src *source, err error) {
	src.mu.Lock()
	first := src.downSince.IsZero()
	if first {
		src.downSince = time.Now()
	}
	src.mu.Unlock()
	if first {
		n, _, _, _ := src.q.summary()
		s.log.Warn("remote failing; keeping segments locally and retrying", "camera", src.Name,
			"remote", fs.ConfigString(src.Dest), "queued", n, "err", oneLine(err))
	} else {
		s.log.Debug("remote still failing", "camera", src.Name, "err", oneLine(err))
	}
}

// recovered logs the end of an outage.
func (s *Shipper) recovered(src *source) {
	src.mu.Lock()
	since := src.downSince
	src.downSince = time.Time{}
	src.mu.Unlock()
	if !since.IsZero() {
		n, _, _, _ := src.q.summary()
		s.log.Info("remote back; shipping the queue", "camera", src.Name,
			"down_for", time.Since(since).Round(time.Second), "queued", n)
	}
}

// isLocalError: the failure is on this side (unreadable file, folder not
// writable so the verified copy's source cannot be deleted); retrying
// against the remote would not help.
func isLocalError(src *source, name string) bool {
	if f, err := os.Open(filepath.Join(src.Dir, name)); err != nil {
		return !errors.Is(err, os.ErrNotExist)
	} else {
		f.Close()
	}
	return false
}

// oneLine flattens an error for a log line or the final error, saying in
// plain words when the remote refused access (HTTP 403 and friends read
// like an outage otherwise).
func oneLine(err error) string {
	if err == nil {
		return ""
	}
	msg := strings.Join(strings.Fields(err.Error()), " ")
	for _, p := range []string{"StatusCode: 403", "AccessDenied", "Forbidden", "401 Unauthorized"} {
		if strings.Contains(msg, p) {
			return "the remote refused access (check its keys/permissions): " + msg
		}
	}
	return msg
}

// noteErr keeps the first failure for --once's final error line.
func (s *Shipper) noteErr(why string) {
	s.mu.Lock()
	if s.firstErr == "" {
		s.firstErr = why
	}
	s.mu.Unlock()
}
