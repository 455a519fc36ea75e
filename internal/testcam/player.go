package testcam

import (
	"errors"
	"math/rand/v2"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"
)

// trackState is where one track's playback stands.
type trackState struct {
	t      *track
	encode encodeFunc
	base   uint32 // random initial RTP timestamp, as RFC 3550 asks
	next   int    // index of the next sample
	pass   int64  // completed passes over the fixture
}

// due is the next sample's presentation time in clock ticks since the start
// of this run; passes follow each other without a gap.
func (ts *trackState) due() int64 { return ts.pass*ts.t.loopTicks + ts.t.samples[ts.next].pts }

func (ts *trackState) dueTime() time.Duration { return ticksToDuration(ts.due(), ts.t.clockRate) }

func ticksToDuration(ticks, rate int64) time.Duration {
	return time.Duration(ticks/rate)*time.Second + time.Duration(ticks%rate)*time.Second/time.Duration(rate)
}

// play writes the fixture into the stream in real time until stopped. Each
// sample is sent when the wall clock reaches start + its presentation time,
// so the pace never drifts; tracks interleave in presentation order.
func (s *session) play() {
	defer close(s.done)
	c := s.cam
	states := make([]*trackState, 0, len(c.tracks))
	for _, t := range c.tracks {
		enc, err := t.encoder()
		if err != nil {
			c.log.Error("testcam encoder", "err", err)
			return
		}
		states = append(states, &trackState{t: t, encode: enc, base: rand.Uint32()})
	}
	start := time.Now()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-timer.C:
		}
		elapsed := time.Since(start)
		for {
			ts := earliest(states)
			if ts.dueTime() > elapsed {
				timer.Reset(ts.dueTime() - elapsed)
				break
			}
			if err := s.send(ts, start); err != nil {
				if !errors.As(err, new(liberrors.ErrServerStreamClosed)) {
					c.log.Error("testcam write", "err", err)
				}
				return
			}
		}
	}
}

func earliest(states []*trackState) *trackState {
	best := states[0]
	for _, ts := range states[1:] {
		if ts.dueTime() < best.dueTime() {
			best = ts
		}
	}
	return best
}

// send packetizes and writes one sample, then advances the track.
func (s *session) send(ts *trackState, start time.Time) error {
	smp := ts.t.samples[ts.next]
	pkts, err := ts.encode(smp.data)
	if err != nil {
		return err
	}
	jump := s.cam.jump.Load() * ts.t.clockRate / int64(time.Second)
	rtpTS := ts.base + uint32(ts.due()+jump) // wraps at 2^32 like a camera's
	ntp := start.Add(ts.dueTime())
	if s.cam.frozen.Load() {
		pkts = nil
	}
	for _, p := range pkts {
		p.Timestamp += rtpTS
		if err := s.stream.WritePacketRTPWithNTP(ts.t.media, p, ntp); err != nil {
			return err
		}
	}
	if ts.t.video && pkts != nil {
		s.cam.frames.Add(1)
	}
	ts.next++
	if ts.next == len(ts.t.samples) {
		ts.next = 0
		ts.pass++
	}
	return nil
}
