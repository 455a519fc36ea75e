package live

import (
	"bytes"
	"context"
	"io"
	"path"
	"strings"
	"time"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/accounting"
	"github.com/rclone/rclone/fs/object"

	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/seal"
)

// segState is a segment listed in the index.
type segState struct {
	Segment
	initUp bool
}

// keepSegments is how many segments the index lists: the one recording,
// the one that just closed (a page may still be playing its tail) and one
// more for a page that fell behind.
const keepSegments = 3

func (s *Stream) uploadLoop(ctx context.Context) {
	for {
		j, ok := s.q.pop(ctx)
		if !ok {
			return
		}
		switch j.kind {
		case jobPart:
			s.uploadPart(ctx, j)
		case jobShipped:
			s.afterShip(ctx, j)
		case jobIndex:
			s.writeIndex(ctx)
		case jobPurge:
			s.purgeParts(ctx, j)
		case jobEnd:
			s.ended(ctx, j)
		}
	}
}

// uploadPart uploads one part (after its segment's init) and lists it.
func (s *Stream) uploadPart(ctx context.Context, j job) {
	if j.data == nil {
		return
	}
	for s.o.Yield() { // segments first: the part waits (and may be dropped behind newer ones)
		select {
		case <-ctx.Done():
			return
		case <-time.After(200 * time.Millisecond):
		}
	}
	s.mu.Lock()
	if !s.watched {
		s.mu.Unlock()
		return
	}
	g := s.segment(j.name, j.file)
	needInit := !g.initUp
	s.mu.Unlock()
	if needInit {
		b, err := encode(j.file.init, s.o.Seal)
		if err == nil {
			err = s.put(ctx, s.o.Scheme.LiveInit(j.name), b)
		}
		if err != nil {
			s.log.Debug("live: init upload failed", "camera", s.o.Camera, "err", err)
			return
		}
		s.mu.Lock()
		g.initUp = true
		s.uploaded[j.name] = true
		s.mu.Unlock()
	}
	b, err := encode(j.data, s.o.Seal)
	if err == nil {
		err = s.put(ctx, s.o.Scheme.LivePart(j.name, j.part.Seq), b)
	}
	if err != nil {
		s.log.Debug("live: part upload failed", "camera", s.o.Camera, "err", err)
		return
	}
	s.mu.Lock()
	g.Parts = append(g.Parts, j.part)
	if len(g.Parts) > s.o.Keep {
		g.Parts = g.Parts[len(g.Parts)-s.o.Keep:]
	}
	s.mu.Unlock()
	if s.writeIndex(ctx) == nil {
		newest := g.Start.Add(time.Duration((j.part.T + j.part.D) * float64(time.Second)))
		s.count(func(st *Stats) { st.Parts++; st.LastPart = time.Now(); st.Delay = time.Since(newest) })
	}
}

// ended lists a closed segment's size, so a page knows its parts are all
// there even when the last one was a whole part (none is marked last).
func (s *Stream) ended(ctx context.Context, j job) {
	s.mu.Lock()
	listed := false
	for _, g := range s.segs {
		if g.Name == j.name {
			g.Size, listed = j.size, true
		}
	}
	s.mu.Unlock()
	if listed {
		s.writeIndex(ctx)
	}
}

// segment is the index entry of a segment, added if new (s.mu held).
func (s *Stream) segment(name string, f *segFile) *segState {
	for _, g := range s.segs {
		if g.Name == name {
			return g
		}
	}
	start, _ := s.o.Scheme.Time(name)
	if w := f.written; !w.IsZero() && w.Sub(start) >= 0 && w.Sub(start) < 2*time.Second {
		start = w
	}
	g := &segState{Segment: Segment{Name: name, Start: start, Mime: f.mime,
		Init: Ref{Path: strings.TrimPrefix(s.o.Scheme.LiveInit(name), layout.LiveDir+"/")}}}
	s.segs = append(s.segs, g)
	if len(s.segs) > keepSegments {
		s.segs = s.segs[len(s.segs)-keepSegments:]
	}
	return g
}

// afterShip points the index at the closed segment (with its file key when
// sealed: a page that watched it live may finish it from there) and deletes
// its parts.
func (s *Stream) afterShip(ctx context.Context, j job) {
	s.mu.Lock()
	var g *segState
	for _, x := range s.segs {
		if x.Name == j.name {
			g = x
		}
	}
	s.mu.Unlock()
	if g != nil {
		key := ""
		if s.o.Seal != nil {
			key = s.fileKey(ctx, j.remote)
		}
		s.mu.Lock()
		g.Closed, g.FileKey = &Ref{Path: "../" + j.remote}, key
		s.mu.Unlock()
		s.writeIndex(ctx)
	}
	// A page a poll or two behind still fetches the tail from its part;
	// then the parts go (a later page finishes from the closed segment).
	time.AfterFunc(purgeGrace, func() { s.q.push(job{kind: jobPurge, name: j.name}) })
}

// purgeGrace is how long a shipped segment's parts stay listed.
const purgeGrace = 10 * time.Second

// purgeParts deletes a shipped segment's parts and unlists them.
func (s *Stream) purgeParts(ctx context.Context, j job) {
	s.mu.Lock()
	has := s.uploaded[j.name]
	delete(s.uploaded, j.name)
	for _, g := range s.segs {
		if g.Name == j.name {
			g.Parts = nil
		}
	}
	s.mu.Unlock()
	if has {
		s.writeIndex(ctx)
		s.purge(ctx, s.o.Scheme.LivePartDir(j.name))
	}
}

// fileKey reads the closed segment's sealed header (128 bytes) and unwraps
// its file key with the archive key.
func (s *Stream) fileKey(ctx context.Context, remote string) string {
	s.count(func(st *Stats) { st.Requests += 2 })
	o, err := s.o.Dest.NewObject(ctx, remote)
	if err != nil {
		return ""
	}
	r, err := o.Open(ctx, &fs.RangeOption{Start: 0, End: seal.HeaderSize - 1})
	if err != nil {
		return ""
	}
	defer r.Close()
	h, err := seal.ReadHeader(r)
	if err != nil {
		return ""
	}
	k, err := h.FileKey(s.o.Seal.Key)
	if err != nil {
		return ""
	}
	return keys.Encode(k)
}

// purge deletes a folder of parts (one listing, one delete per part).
func (s *Stream) purge(ctx context.Context, dir string) {
	entries, err := s.o.Dest.List(ctx, dir)
	s.count(func(st *Stats) { st.Requests++ })
	if err != nil {
		return
	}
	for _, e := range entries {
		if o, ok := e.(fs.Object); ok {
			s.count(func(st *Stats) { st.Requests++ })
			if err := o.Remove(ctx); err != nil {
				s.count(func(st *Stats) { st.Failed++ })
			}
		}
	}
	_ = s.o.Dest.Rmdir(ctx, dir) // a no-op on S3; empties folders elsewhere
}

// indexPath is where the index lives.
func (s *Stream) indexPath() string {
	if s.o.Seal != nil {
		return layout.LiveIndexSealed
	}
	return layout.LiveIndexPlain
}

// writeIndex uploads the index as it is now, every link signed afresh.
func (s *Stream) writeIndex(ctx context.Context) error {
	now := time.Now()
	s.mu.Lock()
	ix := Index{Version: 1, Camera: s.o.Camera, Updated: now, Watched: s.watched,
		HeartbeatEvery: s.o.Heartbeat.Seconds(), Poll: s.o.Poll.Seconds(), Segments: []Segment{}}
	sg := s.sg
	for _, g := range s.segs {
		seg := g.Segment
		seg.Parts = append([]Part(nil), g.Parts...)
		if g.Closed != nil {
			c := *g.Closed
			seg.Closed = &c
		}
		if !g.initUp {
			continue
		}
		ix.Segments = append(ix.Segments, seg)
	}
	s.mu.Unlock()
	if sg != nil {
		link := func(r *Ref) {
			r.URL, _ = sg.url("GET", path.Join(layout.LiveDir, r.Path), s.o.Sign, now)
		}
		ix.Heartbeat, _ = sg.url("PUT", layout.LiveHeartbeat, s.o.Sign, now)
		for i := range ix.Segments {
			g := &ix.Segments[i]
			link(&g.Init)
			if g.Closed != nil {
				link(g.Closed)
			}
			for k := range g.Parts {
				link(&g.Parts[k].Ref)
			}
		}
	}
	b, err := marshalIndex(&ix, s.o.Seal)
	if err != nil {
		return err
	}
	if err := s.put(ctx, s.indexPath(), b, pageOption...); err != nil {
		s.log.Debug("live: index upload failed", "camera", s.o.Camera, "err", err)
		return err
	}
	s.mu.Lock()
	s.signedAt = now
	s.mu.Unlock()
	return nil
}

// putBytes uploads b to remote (replacing what is there: S3 puts do),
// read through rclone's accounting, so --bwlimit counts parts too.
func putBytes(ctx context.Context, f fs.Fs, remote string, b []byte, opts ...fs.OpenOption) error {
	info := object.NewStaticObjectInfo(remote, time.Now(), int64(len(b)), true, nil, f)
	tr := accounting.Stats(ctx).NewTransferRemoteSize(remote, int64(len(b)), nil, f)
	in := tr.Account(ctx, io.NopCloser(bytes.NewReader(b)))
	_, err := f.Put(ctx, in, info, opts...)
	tr.Done(ctx, err)
	return err
}
