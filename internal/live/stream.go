package live

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/logging"
)

// Options configure one camera's live part stream.
type Options struct {
	Camera string
	Dir    string         // the recorder's local folder (NAME.tmp while recording)
	Dest   fs.Fs          // the camera's remote folder; parts go to Dest/live/
	Scheme *layout.Scheme // the remote layout (nil = layout.Default())
	Seal   *keys.Archive  // encrypted archive: parts and index sealed under the live key
	// Yield is true while parts must wait: a segment upload is in flight
	// with --bwlimit set, or the remote is failing for segments.
	Yield func() bool
	Log   *slog.Logger

	Part      time.Duration // media per part; default 2s
	Check     time.Duration // between heartbeat HEADs; default 5s
	Heartbeat time.Duration // how often pages write the heartbeat; default 10s
	Poll      time.Duration // how often pages fetch the index while watching; default 1s
	Sign      time.Duration // lifetime of signed links; default 7 days (re-signed after a third)
	Queue     int           // parts waiting to upload (the oldest is dropped); default 8
	Keep      int           // parts per segment listed in the index; default 8
}

func (o *Options) defaults() {
	if o.Scheme == nil {
		o.Scheme = layout.Default()
	}
	if o.Log == nil {
		o.Log = logging.Discard()
	}
	if o.Yield == nil {
		o.Yield = func() bool { return false }
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.Part, 2*time.Second)
	def(&o.Check, 5*time.Second)
	def(&o.Heartbeat, 10*time.Second)
	def(&o.Poll, time.Second)
	def(&o.Sign, maxSign)
	if o.Queue <= 0 {
		o.Queue = 8
	}
	if o.Keep <= 0 {
		o.Keep = 8
	}
}

// Stats is a snapshot for status.
type Stats struct {
	Watched   bool          // a page's heartbeat is fresh: parts are uploading
	Delay     time.Duration // last part: from its newest frame's wall time to its index upload
	LastPart  time.Time     // when the last part was listed
	Parts     int           // parts uploaded since start
	Dropped   int           // parts dropped (queue full while the uplink was slow or yielding)
	Failed    int           // part, index or heartbeat requests that failed
	Requests  int           // requests made to the remote (HEAD, PUT, DELETE, LIST)
	Available bool          // signed links work here (an S3 remote with its secret)
}

// Stream is one camera's near-live view: see the package doc.
type Stream struct {
	o   Options
	log *slog.Logger
	q   *queue

	mu       sync.Mutex
	watched  bool
	seenAt   time.Time // last time the heartbeat was seen changing
	beat     string    // the heartbeat's last size/time/hash
	cur      *follow   // the segment being cut into parts; nil while nobody watches
	next     bool      // the next segment continues a followed one: start at its first fragment
	segs     []*segState
	uploaded map[string]bool // segments with parts on the remote
	sg       *signer
	puts     fs.Fs // Dest for uploads (withoutHead)
	signedAt time.Time
	stats    Stats
}

// New checks the options.
func New(o Options) (*Stream, error) {
	if o.Dest == nil || o.Dir == "" {
		return nil, errors.New("live: no folder or remote")
	}
	if backend(o.Dest) != "s3" {
		return nil, errors.New("the live view needs an S3-compatible remote (its pages write a heartbeat through a presigned link)")
	}
	o.defaults()
	return &Stream{o: o, log: o.Log, q: newQueue(o.Queue), uploaded: map[string]bool{}}, nil
}

// Stats returns a snapshot.
func (s *Stream) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.Watched = s.watched
	st.Dropped = s.q.droppedCount()
	return st
}

func (s *Stream) count(f func(*Stats)) {
	s.mu.Lock()
	f(&s.stats)
	s.mu.Unlock()
}

// Run watches for viewers and streams parts while there are any, until ctx
// ends. It never returns an error: the live view is best-effort.
func (s *Stream) Run(ctx context.Context) {
	s.setup(ctx)
	if s.sg == nil {
		return // no signed heartbeat link: nobody can ever watch; no requests
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); s.followLoop(ctx) }()
	go func() { defer wg.Done(); s.uploadLoop(ctx) }()
	s.presenceLoop(ctx)
	wg.Wait()
}

// followLoop cuts parts from the segment being recorded while watched.
func (s *Stream) followLoop(ctx context.Context) {
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.mu.Lock()
		if !s.watched {
			s.cur, s.next = nil, false
			s.mu.Unlock()
			continue
		}
		jobs := s.step()
		s.mu.Unlock()
		for _, j := range jobs {
			s.q.push(j)
		}
	}
}

// newestTemp is the temp file of the newest segment being recorded.
func (s *Stream) newestTemp() (name, path string) {
	entries, err := os.ReadDir(s.o.Dir)
	if err != nil {
		return "", ""
	}
	var best time.Time
	flat := s.o.Scheme.Flat()
	for _, e := range entries {
		n, ok := flat.FromTemp(e.Name())
		if !ok {
			continue
		}
		if t, _ := flat.Time(n); name == "" || t.After(best) || t.Equal(best) && n > name {
			name, path, best = n, filepath.Join(s.o.Dir, e.Name()), t
		}
	}
	return name, path
}

// step follows the newest temp file (s.mu held): new fragments become
// parts; a segment that closed meanwhile gets its tail.
func (s *Stream) step() []job {
	name, path := s.newestTemp()
	var jobs []job
	if s.cur != nil && s.cur.name != name {
		// The recorder opens the next segment before it closes this one:
		// keep cutting this one until its temp file is renamed.
		if _, err := os.Stat(s.cur.tmp); err == nil {
			frs, _ := s.cur.file.read(s.cur.tmp)
			return s.cur.add(s, frs, false)
		}
		jobs = append(jobs, s.finish(s.cur)...)
		s.cur, s.next = nil, true
	}
	if s.cur == nil && name != "" {
		f, err := openSegFile(path)
		if err != nil {
			return jobs
		}
		s.cur = &follow{name: name, tmp: path, file: f, fromStart: s.next}
	}
	if s.cur == nil {
		return jobs
	}
	frs, err := s.cur.file.read(s.cur.tmp)
	if err != nil && !os.IsNotExist(err) {
		s.log.Debug("live: reading segment", "file", s.cur.tmp, "err", err)
	}
	return append(jobs, s.cur.add(s, frs, false)...)
}

// finish cuts a closed segment's tail from its closed file (s.mu held).
func (s *Stream) finish(c *follow) []job {
	closed := filepath.Join(s.o.Dir, c.name)
	frs, err := c.file.read(closed)
	if err != nil {
		s.log.Debug("live: segment's tail", "file", closed, "err", err)
	}
	c.tmp = closed
	jobs := c.add(s, frs, true)
	if err == nil {
		jobs = append(jobs, job{kind: jobEnd, name: c.name, size: c.file.next})
	}
	return jobs
}

// BeforeShip is called by the shipper before it moves a closed segment:
// the tail of a segment being streamed is cut from the local file now,
// while it is still there. It only reads the local disk.
func (s *Stream) BeforeShip(name string) {
	s.mu.Lock()

	var jobs []job
	if s.cur != nil && s.cur.name == name {
		jobs = s.finish(s.cur)
		s.cur, s.next = nil, true
	}
	s.mu.Unlock()
	for _, j := range jobs {
		s.q.push(j)
	}
}

// Shipped is called after a segment is verified on the remote: the index
// points at it (a page that missed parts continues from it) and its parts
// are deleted.
func (s *Stream) Shipped(name, remote string) {
	s.mu.Lock()
	listed := false
	for _, g := range s.segs {
		if g.Name == name {
			g.Closed, listed = &Ref{Path: "../" + remote}, true
		}
	}
	has := s.uploaded[name]
	s.mu.Unlock()
	if listed || has {
		s.q.push(job{kind: jobShipped, name: name, remote: remote})
	}
}

// follow is the segment being cut into parts.
type follow struct {
	name      string
	tmp       string
	file      *segFile
	seq       int
	pending   []fragment
	fromStart bool // a continuation: every fragment counts (else start at the newest key frame)
	started   bool
}

// add takes new fragments and returns the parts they complete; last cuts
// whatever is pending as the segment's final part.
func (c *follow) add(s *Stream, frs []fragment, last bool) []job {
	if !c.started && len(frs) > 0 {
		if !c.fromStart {
			frs = frs[newestKey(frs):]
		}
		c.started = true
	}
	c.pending = append(c.pending, frs...)
	target := uint64(s.o.Part) * uint64(c.file.timescale) / uint64(time.Second)
	target -= target / 8 // fragments are about a second: two make a part
	var jobs []job
	for len(c.pending) > 0 {
		var dur uint64
		n := 0
		for n < len(c.pending) && dur < target {
			dur += c.pending[n].dur
			n++
		}
		if dur < target && !last {
			break
		}
		jobs = append(jobs, c.part(s, c.pending[:n], last && n == len(c.pending)))
		c.pending = c.pending[n:]
	}
	return jobs
}

// newestKey is the index of the newest fragment that starts with a sync
// sample (0 if none does): a page can only start decoding there.
func newestKey(frs []fragment) int {
	for i := len(frs) - 1; i >= 0; i-- {
		if frs[i].key {
			return i
		}
	}
	return 0
}

func (c *follow) part(s *Stream, frs []fragment, last bool) job {
	c.seq++
	first, end := frs[0], frs[len(frs)-1]
	var dur uint64
	for _, f := range frs {
		dur += f.dur
	}
	ts := float64(c.file.timescale)
	data, err := readBytes(c.tmp, first.off, end.end)
	if err != nil {
		data = nil
	}
	return job{kind: jobPart, name: c.name, file: c.file, data: data, part: Part{
		Ref: Ref{Path: strings.TrimPrefix(s.o.Scheme.LivePart(c.name, c.seq), layout.LiveDir+"/")},
		Seq: c.seq, T: float64(first.t0) / ts, D: float64(dur) / ts,
		Off: first.off, End: end.end, Key: first.key, Last: last}}
}

// pageOption is the Cache-Control for the index: a poll must see the newest.
var pageOption = []fs.OpenOption{&fs.HTTPOption{Key: "Cache-Control", Value: "no-cache"}}

func (s *Stream) put(ctx context.Context, remote string, b []byte, opts ...fs.OpenOption) error {
	s.count(func(st *Stats) { st.Requests++ })
	err := putBytes(ctx, s.puts, remote, b, opts...)
	if err != nil {
		s.count(func(st *Stats) { st.Failed++ })
	}
	return err
}

func isNotFound(err error) bool {
	return errors.Is(err, fs.ErrorObjectNotFound) || errors.Is(err, fs.ErrorDirNotFound)
}

var _ = bytes.NewReader
