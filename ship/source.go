package ship

import (
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/layout"
)

// source is one camera's state while running.
type source struct {
	Source
	local fs.Fs // the folder as an rclone local remote, so MoveFile can verify
	q     *queue

	mu        sync.Mutex
	downSince time.Time       // zero while the remote works
	bad       map[string]bool // unreadable segments, reported once and left alone
}

func newSource(s Source) *source {
	return &source{Source: s, q: newQueue(), bad: map[string]bool{}}
}

func (s *source) down() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.downSince.IsZero()
}

func (s *source) isBad(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bad[name]
}

// offer queues one file of the folder if it is a closed segment. A NAME.tmp
// never is (its extension is not the scheme's), nor is anything that does not
// parse as a segment name.
func (s *source) offer(sc *layout.Scheme, name string) bool {
	start, ok := sc.Time(name)
	if !ok || s.isBad(name) {
		return false
	}
	st, err := os.Lstat(filepath.Join(s.Dir, name))
	if err != nil || !st.Mode().IsRegular() {
		return false
	}
	return s.q.add(name, start, st.Size())
}

// scan queues every closed segment in the folder and forgets queued ones
// that are gone.
func (s *source) scan(sc *layout.Scheme) error {
	entries, err := os.ReadDir(s.Dir)
	if err != nil {
		return err
	}
	present := map[string]bool{}
	for _, e := range entries {
		if e.Type().IsRegular() {
			present[e.Name()] = true
			s.offer(sc, e.Name())
		}
	}
	s.q.keepOnly(present)
	return nil
}
