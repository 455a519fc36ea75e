package ship

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/live"
	"github.com/camshare/camshare/internal/remote"
)

// source is one camera's state while running. The worker goroutine owns
// local after Run's start; mu guards the rest, and only source's methods
// take it.
type source struct {
	Source
	local fs.Fs // the folder as an rclone local remote, so MoveFile can verify
	q     *queue
	live  *live.Stream // nil without Options.Live

	mu        sync.Mutex
	downSince time.Time       // zero while the remote works
	bad       map[string]bool // unreadable segments and junk, reported once and left alone
	held      map[string]bool // segments without activity kept locally (OnlyActive, sidecar.go)
}

func newSource(s Source) *source {
	return &source{Source: s, q: newQueue(), bad: map[string]bool{}, held: map[string]bool{}}
}

func (s *source) down() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.downSince.IsZero()
}

// markDown records a failed attempt; first is true when it starts an outage.
func (s *source) markDown() (first bool, queued int) {
	s.mu.Lock()
	first = s.downSince.IsZero()
	if first {
		s.downSince = time.Now()
	}
	s.mu.Unlock()
	queued, _, _, _ = s.q.summary()
	return first, queued
}

// markUp records a working attempt; since is when the outage it ends began
// (zero if there was none).
func (s *source) markUp() (since time.Time, queued int) {
	s.mu.Lock()
	since, s.downSince = s.downSince, time.Time{}
	s.mu.Unlock()
	queued, _, _, _ = s.q.summary()
	return since, queued
}

func (s *source) isBad(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bad[name]
}

// markBad leaves a file alone for the rest of the run; it says whether it
// was new (so the caller reports it once).
func (s *source) markBad(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bad[name] {
		return false
	}
	s.bad[name] = true
	return true
}

// printable is the remote as logs may name it (no connection-string keys).
func (s *source) printable() string { return remote.Printable(fs.ConfigString(s.Dest)) }

// offer queues one file of the folder if it is a closed segment. A NAME.tmp
// never is (its extension is not the scheme's), nor is anything else without
// the scheme's extension. A file with it that is not footage (a name the
// layout cannot read, a symlink, a file too small or not MP4) is warned about
// once and skipped; it reports whether that happened.
func (s *source) offer(sc *layout.Scheme, name string, log *slog.Logger) (queued, skipped bool) {
	if s.offerSidecar(sc, name) || s.offerTimelapse(sc, name) {
		return false, false
	}
	if !strings.HasSuffix(name, sc.Ext()) || s.isBad(name) {
		return false, false
	}
	path := filepath.Join(s.Dir, name)
	st, err := os.Lstat(path)
	if err != nil {
		return false, false
	}
	start, ok := sc.Time(name)
	why := ""
	switch {
	case !ok:
		why = "its name is not a segment name of the layout (a date or time that does not exist, or a copy)"
	case !st.Mode().IsRegular():
		why = "it is not a regular file (a symlink or a folder)"
	default:
		why = notFootage(path, st)
	}
	if why == "" {
		if s.holdInactive(sc, name, start, log) {
			return false, false
		}
		return s.q.add(name, start, st.Size()), false
	}
	if why == unsure {
		return false, false
	}
	if s.markBad(name) {
		log.Warn("skipping a file that is not footage: "+why, "camera", s.Name, "file", path)
		return false, true
	}
	return false, false
}

// scan queues every closed segment in the folder and forgets queued ones
// that are gone.
func (s *source) scan(sc *layout.Scheme, log *slog.Logger) (skipped int, err error) {
	entries, err := os.ReadDir(s.Dir)
	if err != nil {
		return 0, err
	}
	present := map[string]bool{}
	for _, e := range entries {
		present[e.Name()] = true
		if _, sk := s.offer(sc, e.Name(), log); sk {
			skipped++
		}
	}
	s.q.keepOnly(present)
	return skipped, nil
}
