// Package ship moves every closed segment from local folders to rclone
// remotes within seconds of its rename, and never loses one: a file is
// deleted locally only after its remote copy is verified, the remote being
// down only makes the queue grow (up to the local cap), and a restart after
// a crash picks up where the last run stopped.
//
// One Shipper serves many cameras (Sources); each camera's segments go out
// one at a time in time order, cameras in parallel up to rclone's
// --transfers.
package ship

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/logging"
)

// Source is one camera: a flat local folder of closed segments and the
// remote folder they go to (opened by the caller with remote.Open).
type Source struct {
	Name string // camera name ("" for single-camera use); used in logs/stats
	Dir  string // local folder with closed segments
	Dest fs.Fs  // remote folder, opened with remote.Open (works with the remote down)

	Encrypt *keys.Archive // seal each segment on its way up (encrypt.go); nil = as is

	// OnlyActive ships only segments whose sidecar shows activity (or that
	// have none: unknown ships); the rest stay in Dir for KeepInactive
	// (0 = DefaultKeepInactive) and are then deleted (sidecar.go).
	OnlyActive   bool
	KeepInactive time.Duration
}

// Options configure a Shipper.
type Options struct {
	Sources   []Source
	Scheme    *layout.Scheme // nil = layout.Default()
	Once      bool           // ship what is there and return (error if anything failed)
	Rescan    time.Duration  // periodic rescan catching missed inotify events; default 30s
	MaxLocal  int64          // cap on local bytes queued; 0 = none
	MinFree   int64          // keep at least this much disk free; 0 = none
	Log       *slog.Logger
	OnShipped func(ctx context.Context, s Shipped) // after each verified move (page refresh, status); runs on the camera's worker, so keep it short
	Live      bool                                 // near-live parts while someone watches (live.go; S3 remotes)
}

// Shipped describes one segment that reached its remote.
type Shipped struct {
	Source        string        // camera name
	Local, Remote string        // local path; path below the source's Dest
	Start         time.Time     // segment start, from its name
	Size          int64         // bytes
	Took          time.Duration // the successful attempt, up to the verified copy
	Uploaded      bool          // false when an identical copy was already there
}

// Stats is a snapshot for status pages.
type Stats struct {
	Queued      int       // segments waiting locally
	QueuedBytes int64     // their size
	Oldest      string    // name of the oldest waiting segment
	LastShipped time.Time // when the last segment was verified on its remote
	Shipped     int       // segments moved (or found already there) since start
	Failed      int       // segments given up on (unreadable, or --once could not ship them)
	Dropped     int       // segments deleted unshipped by --max-local / --min-free (only while their remote fails)
	DropReason  string    // why the last one was
	Skipped     int       // files with a segment's name that are not footage (junk, symlinks, bad names), warned about once
	Outage      bool      // some remote is failing right now
}

// Shipper moves segments; see New.
type Shipper struct {
	o       Options
	scheme  *layout.Scheme
	log     *slog.Logger
	sources []*source
	slots   chan struct{} // uploads in flight across cameras (rclone --transfers)

	mu       sync.Mutex // guards stats and firstErr
	stats    Stats
	firstErr string // the first failure, for --once's error
}

// New checks the options; nothing touches the disk or the network until Run
// except a look at each folder, so an unreadable one (or a file where the
// folder should be) is reported up front as one line. A folder that does not
// exist yet is waited for by Run: ship may start before record.
func New(o Options) (*Shipper, error) {
	if len(o.Sources) == 0 {
		return nil, errors.New("ship: no sources")
	}
	if o.Scheme == nil {
		o.Scheme = layout.Default()
	}
	if o.Rescan <= 0 {
		o.Rescan = 30 * time.Second
	}
	if o.Log == nil {
		o.Log = logging.Discard()
	}
	s := &Shipper{o: o, scheme: o.Scheme, log: o.Log}
	for _, src := range o.Sources {
		if src.Dest == nil {
			return nil, fmt.Errorf("ship: source %q has no remote", src.Dir)
		}
		if err := CheckDir(src.Dir); err != nil && !errors.Is(err, errNoDir) {
			return nil, err
		}
		s.sources = append(s.sources, newSource(src))
	}
	return s, nil
}

// errNoDir: the folder is not there (yet): Run waits for it.
var errNoDir = errors.New("does not exist")

// CheckDir turns the usual mistakes with a recording folder (missing, not
// a folder, unreadable) into one clear line. New calls it for every source.
func CheckDir(dir string) error {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("folder %q %w", dir, errNoDir)
	case errors.Is(err, os.ErrPermission):
		return fmt.Errorf("folder %q: permission denied", dir)
	case err != nil:
		return fmt.Errorf("folder %q: %v", dir, err)
	case !st.IsDir():
		return fmt.Errorf("%q is not a folder", dir)
	}
	f, err := os.Open(dir)
	if err == nil {
		_, err = f.Readdirnames(1)
		f.Close()
	}
	if errors.Is(err, os.ErrPermission) {
		return fmt.Errorf("folder %q: permission denied", dir)
	}
	return nil
}

// Stats returns a snapshot.
func (s *Shipper) Stats() Stats {
	s.mu.Lock()
	st := s.stats
	s.mu.Unlock()
	var oldest time.Time
	for _, src := range s.sources {
		n, bytes, first, t := src.q.summary()
		st.Queued += n
		st.QueuedBytes += bytes
		if n > 0 && (oldest.IsZero() || t.Before(oldest)) {
			st.Oldest, oldest = first, t
		}
		if src.down() {
			st.Outage = true
		}
	}
	return st
}

func (s *Shipper) count(f func(*Stats)) {
	s.mu.Lock()
	f(&s.stats)
	s.mu.Unlock()
}
