package live

import (
	"context"
	"fmt"
	"time"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/hash"

	"github.com/camshare/camshare/internal/layout"
)

// setup makes sure the heartbeat object exists (rclone signs links only
// for objects that do), makes the signer, sweeps parts a crash left behind
// and writes the idle index, whose signed heartbeat link is what lets a
// page say it is watching.
func (s *Stream) setup(ctx context.Context) {
	s.puts = withoutHead(ctx, s.o.Dest)
	s.count(func(st *Stats) { st.Requests++ })
	if _, err := s.o.Dest.NewObject(ctx, layout.LiveHeartbeat); isNotFound(err) {
		_ = s.put(ctx, layout.LiveHeartbeat, nil)
	}
	sg, err := newSigner(ctx, s.o.Dest)
	if err != nil {
		s.log.Info("live view unavailable: "+err.Error(), "camera", s.o.Camera)
	}
	s.mu.Lock()
	s.sg, s.stats.Available = sg, sg != nil
	s.mu.Unlock()
	s.sweep(ctx)
	s.writeIndex(ctx)
}

// sweep deletes part folders of segments that are not being recorded
// (left by a crash or an outage); prune does the same on its schedule.
func (s *Stream) sweep(ctx context.Context) {
	s.count(func(st *Stats) { st.Requests++ })
	entries, err := s.o.Dest.List(ctx, layout.LiveDir)
	if err != nil {
		return
	}
	current, _ := s.newestTemp()
	for _, e := range entries {
		if d, ok := e.(fs.Directory); ok {
			if name, ok := s.o.Scheme.LiveSegment(d.Remote() + "/x"); ok && name != current {
				s.purge(ctx, d.Remote())
			}
		}
	}
}

// presenceLoop checks the heartbeat every Check and re-signs the index's
// links well before they expire.
func (s *Stream) presenceLoop(ctx context.Context) {
	t := time.NewTicker(s.o.Check)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.checkBeat(ctx)
		s.mu.Lock()
		resign := s.sg != nil && time.Since(s.signedAt) > s.o.Sign/3
		s.mu.Unlock()
		if resign {
			s.q.push(job{kind: jobIndex})
		}
	}
}

// fresh is how long a heartbeat seen changing counts: two heartbeat
// periods, so one late or lost heartbeat does not stop the view.
func (s *Stream) fresh() time.Duration { return 2 * s.o.Heartbeat }

// checkBeat is the one request per Check: a HEAD of the heartbeat. A page
// writes a different body each time, so a changed size, time or hash
// means someone was there since the last look, whatever the clocks of
// phone, bucket and camera say; an empty body is a page saying goodbye.
func (s *Stream) checkBeat(ctx context.Context) {
	s.count(func(st *Stats) { st.Requests++ })
	o, err := s.o.Dest.NewObject(ctx, layout.LiveHeartbeat)
	now := time.Now()
	s.mu.Lock()
	was := s.watched
	switch {
	case err != nil:
		if !isNotFound(err) {
			s.stats.Failed++
		}
	default:
		md5, _ := o.Hash(ctx, hash.MD5)
		mod := o.ModTime(ctx)
		sig := fmt.Sprintf("%d %d %s", o.Size(), mod.UnixNano(), md5)
		switch {
		case o.Size() == 0:
			s.seenAt = time.Time{}
		case s.beat == "" && now.Sub(mod).Abs() < s.fresh():
			s.seenAt = now // first look: trust a recent time
		case s.beat != "" && sig != s.beat:
			s.seenAt = now
		}
		s.beat = sig
	}
	s.watched = !s.seenAt.IsZero() && now.Sub(s.seenAt) < s.fresh() && s.sg != nil
	is := s.watched
	if is && !was {
		s.segs = nil // a new viewing starts at the newest footage
	}
	s.mu.Unlock()
	if was != is {
		if is {
			s.log.Info("someone is watching live: uploading parts", "camera", s.o.Camera)
		} else {
			s.log.Info("nobody watching live: parts stop", "camera", s.o.Camera)
		}
		s.q.push(job{kind: jobIndex})
	}
}
