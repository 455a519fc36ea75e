package ship

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/sidecar"
)

// Sidecars (NAME.json, internal/sidecar) travel with their segments: the
// recorder writes one just before it publishes the segment, and move ships
// it to the segment's remote name (collision suffix included) just before
// the segment itself, through the same transfer, so it is sealed when the
// segment is. A remote reader that finds a segment finds its sidecar. A
// sidecar left behind without its segment (its upload failed after the
// segment's, or a person deleted the segment) is shipped on its own.

// withSidecar ships the segment's sidecar, if it has one, to the sidecar
// of remote, then does the segment's own step.
func (s *Shipper) withSidecar(ctx context.Context, src *source, t transfer, name, remote string, then func() error) error {
	if fs.GetConfig(ctx).DryRun {
		return then()
	}
	if err := s.putSidecar(ctx, src, t, s.scheme.Sidecar(name), s.scheme.Sidecar(remote)); err != nil {
		return err
	}
	return then()
}

// putSidecar moves one local sidecar to remote: replacing what is there
// unless it is the same (a sidecar is written once, so a different one at
// the segment's name is a torn or older copy of this one).
func (s *Shipper) putSidecar(ctx context.Context, src *source, t transfer, localName, remote string) error {
	local, err := src.local.NewObject(ctx, localName)
	if errors.Is(err, fs.ErrorObjectNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	existing, err := src.Dest.NewObject(ctx, remote)
	switch {
	case errors.Is(err, fs.ErrorObjectNotFound):
		existing = nil
	case err != nil:
		return err
	default:
		if v, err := t.compare(ctx, local, existing); err == nil && v == same {
			return local.Remove(ctx)
		}
	}
	return t.put(ctx, src.Dest, existing, remote, local)
}

// moveOrphanSidecar ships a sidecar whose segment already left.
func (s *Shipper) moveOrphanSidecar(ctx context.Context, src *source, name, segment string) (string, error) {
	remote, err := s.scheme.RemotePath(segment)
	if err != nil {
		return "", err
	}
	remote = s.scheme.Sidecar(remote)
	if fs.GetConfig(ctx).DryRun {
		return remote, nil
	}
	return remote, s.putSidecar(ctx, src, transferFor(src), name, remote)
}

// offerSidecar queues a sidecar whose segment is neither in the folder nor
// being written (then it goes with the segment). handled is false for
// anything that is not a sidecar.
func (s *source) offerSidecar(sc *layout.Scheme, name string) (handled bool) {
	seg, ok := sc.SidecarOf(name)
	if !ok {
		return false
	}
	if exists(filepath.Join(s.Dir, seg)) || exists(filepath.Join(s.Dir, sc.TempName(seg))) {
		return true
	}
	st, err := os.Lstat(filepath.Join(s.Dir, name))
	if err != nil || !st.Mode().IsRegular() {
		return true
	}
	start, _ := sc.Time(seg)
	s.q.add(name, start, st.Size())
	return true
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// isSidecar says whether a queued name is a sidecar (no segment stats, no
// OnShipped for it).
func (s *Shipper) isSidecar(name string) bool {
	_, ok := s.scheme.SidecarOf(name)
	return ok
}

// holdInactive decides, for Source.OnlyActive, whether a closed segment
// stays local instead of shipping: its sidecar says nothing happened. A
// segment without a readable sidecar ships (unknown is not "nothing
// happened"). A held segment older than KeepInactive (by its name) is
// deleted with its sidecar. It reports whether the segment is held (or
// gone).
func (s *source) holdInactive(sc *layout.Scheme, name string, start time.Time, log *slog.Logger) bool {
	if !s.OnlyActive {
		return false
	}
	s.mu.Lock()
	held := s.held[name]
	s.mu.Unlock()
	if !held {
		if !s.inactive(sc, name) {
			return false
		}
		s.mu.Lock()
		s.held[name] = true
		s.mu.Unlock()
		log.Info("keeping a segment without activity locally (only_active)", "camera", s.Name, "file", name)
	}
	keep := s.KeepInactive
	if keep <= 0 {
		keep = DefaultKeepInactive
	}
	if time.Since(start) > keep {
		for _, n := range []string{name, sc.Sidecar(name)} {
			if err := os.Remove(filepath.Join(s.Dir, n)); err != nil && !errors.Is(err, os.ErrNotExist) {
				log.Warn("cannot delete a held segment", "camera", s.Name, "file", n, "err", err)
				return true
			}
		}
		s.mu.Lock()
		delete(s.held, name)
		s.mu.Unlock()
		log.Info("deleted a local segment without activity", "camera", s.Name, "file", name, "kept_for", keep)
	}
	return true
}

// DefaultKeepInactive is how long OnlyActive keeps segments without
// activity locally when KeepInactive is 0.
const DefaultKeepInactive = 24 * time.Hour

// inactive reads the segment's local sidecar: true only when it says
// nothing happened.
func (s *source) inactive(sc *layout.Scheme, name string) bool {
	f, err := os.Open(filepath.Join(s.Dir, sc.Sidecar(name)))
	if err != nil {
		return false
	}
	defer f.Close()
	m, err := sidecar.Read(f, nil)
	return err == nil && !m.Active()
}
