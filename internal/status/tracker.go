package status

import (
	"context"
	"sync"
	"time"
)

// Tracker is the in-memory state a supervisor updates from its parts'
// events and flushes to the file on every change and every Interval.
type Tracker struct {
	path string

	mu    sync.Mutex
	st    State
	write sync.Mutex // one writer at a time; the rename keeps readers safe
	kick  chan struct{}
}

// NewTracker starts from s (Started, PID, Interval filled by the caller).
func NewTracker(path string, s State) *Tracker {
	return &Tracker{path: path, st: s, kick: make(chan struct{}, 1)}
}

// Kick asks Run to write the file now (an event happened) without making
// the caller wait for the disk.
func (t *Tracker) Kick() {
	select {
	case t.kick <- struct{}{}:
	default:
	}
}

// Path is the state file.
func (t *Tracker) Path() string { return t.path }

// Update changes the state under the lock.
func (t *Tracker) Update(f func(*State)) {
	t.mu.Lock()
	f(&t.st)
	t.mu.Unlock()
}

// Camera changes one camera's entry, adding it when new.
func (t *Tracker) Camera(name string, f func(*Camera)) {
	t.Update(func(s *State) {
		for i := range s.Cameras {
			if s.Cameras[i].Name == name {
				f(&s.Cameras[i])
				return
			}
		}
		s.Cameras = append(s.Cameras, Camera{Name: name})
		f(&s.Cameras[len(s.Cameras)-1])
	})
}

// RemoveCamera drops a camera that left the config.
func (t *Tracker) RemoveCamera(name string) {
	t.Update(func(s *State) {
		for i := range s.Cameras {
			if s.Cameras[i].Name == name {
				s.Cameras = append(s.Cameras[:i], s.Cameras[i+1:]...)
				return
			}
		}
	})
}

// Snapshot is a copy of the state.
func (t *Tracker) Snapshot() State {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.st
	s.Cameras = append([]Camera(nil), t.st.Cameras...)
	return s
}

// Flush stamps Updated and writes the file.
func (t *Tracker) Flush() error {
	t.write.Lock()
	defer t.write.Unlock()
	t.Update(func(s *State) { s.Updated = time.Now() })
	return Write(t.path, t.Snapshot())
}

// Run flushes every interval until ctx ends, calling refresh first to pull
// in what is polled rather than pushed (queue stats, disk free). It flushes
// once more on the way out so status sees the final state.
func (t *Tracker) Run(ctx context.Context, interval time.Duration, refresh func(*State), onErr func(error)) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		if refresh != nil {
			t.Update(refresh)
		}
		if err := t.Flush(); err != nil && onErr != nil {
			onErr(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-t.kick:
		}
	}
}
