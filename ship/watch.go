package ship

import (
	"context"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watch queues segments as they appear and rescans every Rescan, until ctx
// ends. The recorder renames NAME.tmp to NAME.mp4 when a segment is closed;
// inotify reports the new name as a Create, which is the trigger. The rescan
// catches what inotify misses (Android shared storage, FUSE, NFS), and if
// inotify cannot be had at all, the rescan alone still ships everything.
func (s *Shipper) watch(ctx context.Context) {
	w, byDir := s.notifier()
	var events chan fsnotify.Event
	var errs chan error
	if w != nil {
		defer w.Close()
		events, errs = w.Events, w.Errors
	}
	// A segment closed between Run's first scan and the watch going up
	// raised no event: look once more now rather than at the first tick.
	s.rescan()
	tick := time.NewTicker(s.o.Rescan)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-events:
			s.onEvent(ev, byDir)
		case err := <-errs:
			// Overflow and the like: the rescan makes up for lost events.
			s.log.Debug("file notification error; rescanning", "err", err)
			s.rescan()
		case <-tick.C:
			s.rescan()
		}
	}
}

// notifier watches every source folder; nil when the system has no file
// notifications (the rescan then does all the work).
func (s *Shipper) notifier() (*fsnotify.Watcher, map[string]*source) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		s.log.Warn("no file notifications; relying on the rescan", "every", s.o.Rescan, "err", err)
		return nil, nil
	}
	byDir := map[string]*source{}
	for _, src := range s.sources {
		dir := filepath.Clean(src.Dir)
		byDir[dir] = src
		if err := w.Add(dir); err != nil {
			s.log.Warn("cannot watch folder; relying on the rescan", "dir", dir, "every", s.o.Rescan, "err", err)
		}
	}
	return w, byDir
}

// onEvent offers a file that appeared or grew to its source's queue.
func (s *Shipper) onEvent(ev fsnotify.Event, byDir map[string]*source) {
	// Write too: a file copied in by hand appears before it is complete;
	// its later writes refresh its size. rclone's local backend refuses to
	// upload a file that changes while read.
	if !ev.Has(fsnotify.Create) && !ev.Has(fsnotify.Write) {
		return
	}
	src := byDir[filepath.Dir(ev.Name)]
	if src == nil {
		return
	}
	queued, skipped := src.offer(s.scheme, filepath.Base(ev.Name), s.log)
	if skipped {
		s.count(func(st *Stats) { st.Skipped++ })
	}
	if queued {
		s.enforceCap()
	}
}

func (s *Shipper) rescan() {
	for _, src := range s.sources {
		skipped, err := src.scan(s.scheme, s.log)
		if err != nil {
			s.log.Warn("cannot read folder", "camera", src.Name, "dir", src.Dir, "err", err)
		}
		if skipped > 0 {
			s.count(func(st *Stats) { st.Skipped += skipped })
		}
	}
	s.enforceCap()
}
