package ship

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/rclone/rclone/fs"
)

// shipOne makes one attempt at one segment and hands the outcome to the one
// function that keeps the books for it. It returns the error only when the
// remote failed (the caller waits before the next attempt).
func (s *Shipper) shipOne(ctx context.Context, src *source, it item) error {
	began := time.Now()
	if src.live != nil {
		src.live.BeforeShip(it.name)
	}
	s.slots <- struct{}{}
	remote, uploaded, err := s.move(ctx, src, it.name)
	<-s.slots
	switch {
	case errors.Is(err, errGone):
		s.vanished(src, it)
	case err != nil && ctx.Err() != nil:
		s.interrupted(src, it)
		return err
	case err != nil && isLocalError(src, it.name, err):
		s.unreadable(src, it, err)
	case err != nil:
		s.failed(src, it, err)
		return err
	case fs.GetConfig(ctx).DryRun:
		s.wouldShip(src, it, remote)
	case s.isSidecar(it.name) || s.isTimelapse(it.name):
		src.q.done(it.name, true) // a sidecar on its own, or a timelapse: no segment to count or announce
		s.remoteBack(src)
	default:
		s.shipped(ctx, src, it, Shipped{Source: src.Name, Local: filepath.Join(src.Dir, it.name), Remote: remote,
			Start: it.start, Size: it.size, Took: time.Since(began), Uploaded: uploaded})
	}
	return nil
}

// vanished: the file went before it was shipped (deleted by hand).
func (s *Shipper) vanished(src *source, it item) {
	src.q.done(it.name, true)
	s.log.Debug("segment vanished before shipping", "camera", src.Name, "file", filepath.Join(src.Dir, it.name))
}

// interrupted: ctx ended mid-attempt; a drop the cap asked for meanwhile
// still happens.
func (s *Shipper) interrupted(src *source, it item) {
	if reason := src.q.done(it.name, false); reason != "" {
		s.drop(src, it.name, it.size, reason)
	}
}

// unreadable: the failure is on this side (permissions, a failing SD card):
// no remote will fix it. Report once, leave it, let the queue behind it go.
func (s *Shipper) unreadable(src *source, it item, err error) {
	src.q.done(it.name, true)
	src.markBad(it.name)
	why := oneLine(err)
	s.count(func(st *Stats) { st.Failed++ })
	s.noteErr(why)
	s.log.Error("cannot ship segment", "camera", src.Name, "file", filepath.Join(src.Dir, it.name), "err", why)
}

// failed: the remote failed; the segment stays queued (unless the cap wanted
// it gone meanwhile) and the outage is logged once.
func (s *Shipper) failed(src *source, it item, err error) {
	if reason := src.q.done(it.name, false); reason != "" {
		s.drop(src, it.name, it.size, reason)
	}
	s.noteErr(oneLine(err))
	if first, queued := src.markDown(); first {
		s.log.Warn("remote failing; keeping segments locally and retrying", "camera", src.Name,
			"remote", src.printable(), "queued", queued, "err", oneLine(err))
	} else {
		s.log.Debug("remote still failing", "camera", src.Name, "err", oneLine(err))
	}
}

// wouldShip: --dry-run found where the segment goes.
func (s *Shipper) wouldShip(src *source, it item, remote string) {
	src.q.done(it.name, true)
	s.remoteBack(src)
	src.markBad(it.name) // don't offer it again in this run
	s.log.Info("would ship", "camera", src.Name, "file", filepath.Join(src.Dir, it.name), "remote", src.printable()+"/"+remote)
}

// shipped: the segment is verified on the remote and gone locally.
func (s *Shipper) shipped(ctx context.Context, src *source, it item, sh Shipped) {
	src.q.done(it.name, true)
	s.remoteBack(src)
	s.count(func(st *Stats) { st.Shipped++; st.LastShipped = time.Now() })
	s.log.Info("shipped", "camera", src.Name, "file", it.name, "remote", sh.Remote, "bytes", it.size,
		"took", sh.Took.Round(time.Millisecond), "uploaded", sh.Uploaded)
	if src.live != nil {
		src.live.Shipped(it.name, sh.Remote)
	}
	if s.o.OnShipped != nil {
		s.o.OnShipped(ctx, sh)
	}
}

// remoteBack logs the end of an outage.
func (s *Shipper) remoteBack(src *source) {
	if since, queued := src.markUp(); !since.IsZero() {
		s.log.Info("remote back; shipping the queue", "camera", src.Name,
			"down_for", time.Since(since).Round(time.Second), "queued", queued)
	}
}

// isLocalError: the failure is on this side (unreadable file, folder not
// writable so the verified copy's source cannot be deleted); retrying
// against the remote would not help.
func isLocalError(src *source, name string, err error) bool {
	if errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EIO) {
		return true
	}
	f, oerr := os.Open(filepath.Join(src.Dir, name))
	if oerr != nil {
		return !errors.Is(oerr, os.ErrNotExist)
	}
	f.Close()
	return false
}

// noteErr keeps the first failure for --once's final error line.
func (s *Shipper) noteErr(why string) {
	s.mu.Lock()
	if s.firstErr == "" {
		s.firstErr = why
	}
	s.mu.Unlock()
}
