package record

import (
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"

	"github.com/camshare/camshare/record/internal/segment"
)

// Track IDs inside every segment.
const (
	videoID = 1
	audioID = 2
)

const (
	// maxForwardJump: a longer step between frames is a discontinuity
	// (camera reboot, clock reset), not a late frame.
	maxForwardJump = 5 * time.Second
	// maxBackwardStep: B-frames make PTS go back a little; more is a jump.
	maxBackwardStep = time.Second
	// audioGrace is how long (in stream time) a closed-for-video segment
	// waits for audio the worker still holds before it is finalized.
	audioGrace = 4 * time.Second
	// maxAudioSkew: audio further than this from the video is taken as a
	// jump of its own clock and re-aligned to the video.
	maxAudioSkew = 3 * time.Second
)

// unit is one access unit handed from the RTSP side to the cutter.
type unit struct {
	audio   bool
	pts     int64     // video: 90 kHz ticks; audio: ticks of the audio track's timescale
	au      [][]byte  // video
	data    []byte    // audio
	dur     int64     // audio: duration in its ticks
	arrival time.Time // video: when it arrived
}

// audioOut describes the audio track written to segments.
type audioOut struct {
	rate  int // timescale
	codec fmp4.Codec
	drops *atomic.Int64 // audio the source dropped (nil: it never drops)
}

// openSeg is one segment being written.
type openSeg struct {
	w         *segment.Writer
	start     time.Time // wall time of its first frame
	boundary  time.Time // the wall-clock boundary it ends at
	videoBase int64     // stream DTS of its first frame (90 kHz)
	audioBase int64     // the same instant in audio ticks
	lastVideo int64     // relative DTS of the last video sample
	hasAudio  bool
	lastAudio int64 // relative DTS of the last audio sample
	audioDur  int64 // its duration
	// Set when video moved on to the next segment:
	videoEnd int64         // relative end of the video
	cutAudio int64         // audio ticks where the next segment begins
	closeBy  time.Duration // stream position after which late audio is given up
}

// cutter turns a stream of units into segments: clock-aligned cuts at
// keyframes, a clean cut on new parameter sets, resync after timestamp
// jumps. It runs on one goroutine; nothing in it blocks on the network.
type cutter struct {
	c     *config
	log   *slog.Logger
	video *videoTrack
	audio *audioOut // nil: video only
	clock wallClock

	cur *openSeg
	// olds finished their video and wait for late audio, oldest first
	// (short segments and a lagging audio worker can leave several).
	olds []*openSeg

	needKey       bool // wait for a keyframe before writing (start, resync)
	paramsChanged bool // cut at the next keyframe
	havePrev      bool
	prevPTS       int64
	prevDTS       int64
	prevDur       int64        // last frame's duration (ticks), used to end a file early
	audioShift    int64        // added to audio timestamps to realign them to video
	ahead         []aheadAudio // audio ahead of the video, in arrival order

	onFirst    func() // called after the first frame is written
	wroteFirst bool

	lateAudio  int // audio dropped because it arrived after its segment closed
	failedOpen bool
	drops      int64 // the source's dropped audio, as last reported
}

func newCutter(c *config, log *slog.Logger, v *videoTrack, a *audioOut, onFirst func()) *cutter {
	return &cutter{c: c, log: log, video: v, audio: a, needKey: true, onFirst: onFirst, prevDur: videoClock / 10}
}

// run consumes units until the channel is closed, then closes what is open.
// Like the camera connection it wakes at most once per wakeInterval and
// then takes everything queued.
func (k *cutter) run(units <-chan unit) {
	var woke time.Time
	for open := true; open; {
		if d := wakeInterval - time.Since(woke); d > 0 {
			time.Sleep(d)
		}
		var u unit
		u, open = <-units
		woke = time.Now()
		for open {
			if u.audio {
				k.onAudio(u)
			} else {
				k.onVideo(u)
			}
			select {
			case u, open = <-units:
				continue
			default:
			}
			break
		}
		k.reportDrops()
	}
	k.closeAll()
	if k.lateAudio > 0 {
		k.log.Debug("audio arriving after its segment closed was dropped", "frames", k.lateAudio)
	}
}

func (k *cutter) onVideo(u unit) {
	au, key, changed := k.video.scan(u.au)
	if changed && k.cur != nil {
		k.paramsChanged = true
	}
	if k.havePrev {
		step := ticksToDur(u.pts-k.prevPTS, videoClock)
		if step > maxForwardJump || step < -maxBackwardStep {
			k.log.Warn("camera timestamps jumped; closing the segment and resyncing at the next keyframe", "jump", step.Round(time.Millisecond))
			k.resync()
		}
	}
	if k.needKey {
		if !key || !k.video.ready() {
			return
		}
		k.needKey = false
		k.video.resetDTS()
	}
	dts, err := k.video.dts(au, u.pts)
	if err != nil {
		k.log.Warn("bad video timing; resyncing at the next keyframe", "err", err)
		k.resync()
		return
	}
	if k.havePrev && dts <= k.prevDTS {
		// A repeated timestamp: MP4 cannot hold two frames at one time.
		k.log.Debug("dropped a video frame with a repeated timestamp", "dts", dts)
		return
	}
	pos := ticksToDur(dts, videoClock)
	k.clock.observe(pos, u.arrival)
	wall := k.clock.time(pos)

	switch {
	case k.cur == nil:
		k.open(dts, wall)
	case key && (k.paramsChanged || !wall.Before(k.cur.boundary)):
		k.cut(dts, wall)
	}
	if k.cur == nil {
		return // could not open: waiting for the next keyframe
	}
	s, err := k.video.sample(au, u.pts, dts, key)
	if err == nil {
		rel := dts - k.cur.videoBase
		err = k.cur.w.Write(videoID, rel, s)
		k.cur.lastVideo = rel
	}
	if err != nil {
		k.log.Error("writing segment failed; starting a new one at the next keyframe", "err", err)
		k.abort(k.cur)
		k.cur = nil
		k.needKey = true
		k.recover()
		return
	}
	if k.havePrev && dts > k.prevDTS {
		k.prevDur = dts - k.prevDTS
	}
	k.havePrev, k.prevPTS, k.prevDTS = true, u.pts, dts
	if !k.wroteFirst {
		k.wroteFirst = true
		if k.onFirst != nil {
			k.onFirst()
		}
	}
	if len(k.ahead) > 0 {
		k.release(pos)
	}
	for len(k.olds) > 0 && pos >= k.olds[0].closeBy {
		k.finishOld(-1)
	}
}

// reportDrops emits the source's count of dropped audio when it grew; here,
// on the cutter's goroutine, events stay one call at a time.
func (k *cutter) reportDrops() {
	if k.audio == nil || k.audio.drops == nil {
		return
	}
	if n := k.audio.drops.Load(); n != k.drops {
		k.drops = n
		k.c.emit(Event{Kind: AudioDropped, Time: time.Now(), Dropped: n})
	}
}

// open starts a segment at the keyframe with decode time dts.
func (k *cutter) open(dts int64, wall time.Time) {
	tracks := []*segment.Track{{ID: videoID, TimeScale: videoClock, Codec: k.video.codec()}}
	if k.audio != nil {
		tracks = append(tracks, &segment.Track{ID: audioID, TimeScale: uint32(k.audio.rate), Codec: k.audio.codec})
	}
	w, err := segment.Create(k.c.Dir, k.c.Scheme, wall, tracks)
	if err != nil {
		if !k.failedOpen {
			k.log.Error("cannot create segment; retrying at each keyframe", "err", err)
		}
		k.failedOpen = true
		k.needKey = true
		return
	}
	k.failedOpen = false
	k.paramsChanged = false
	s := &openSeg{
		w:         w,
		start:     wall,
		boundary:  nextBoundary(wall, k.c.Segment, k.c.Scheme.Location()),
		videoBase: dts,
	}
	if k.audio != nil {
		s.audioBase = durToTicks(ticksToDur(dts, videoClock), k.audio.rate)
	}
	k.cur = s
}

// cut ends the current segment where the keyframe at dts begins the next:
// that keyframe's time is the old file's end, so the two files meet without
// a gap or an overlap.
func (k *cutter) cut(dts int64, wall time.Time) {
	s := k.cur
	k.cur = nil
	s.videoEnd = dts - s.videoBase
	if k.audio == nil {
		k.finish(s, -1)
	} else {
		// The audio worker lags: keep the file open for audio up to the cut.
		pos := ticksToDur(dts, videoClock)
		s.cutAudio = durToTicks(pos, k.audio.rate)
		s.closeBy = pos + audioGrace
		k.olds = append(k.olds, s)
	}
	k.open(dts, wall)
}

func (k *cutter) onAudio(u unit) {
	if k.audio == nil {
		return
	}
	t := u.pts + k.audioShift
	if !k.havePrev {
		// No video yet (start, resync): audio waits for the first picture,
		// which decides where the file begins.
		if len(k.ahead) >= maxAhead {
			k.ahead = append(k.ahead[:0], k.ahead[1:]...)
			k.lateAudio++
		}
		k.ahead = append(k.ahead, aheadAudio{t, u})
		return
	}
	if k.havePrev {
		// Audio whose clock jumped on its own (or stayed behind when the
		// video jumped) is pulled back next to the video.
		ref := ticksToDur(k.prevDTS, videoClock)
		d := ticksToDur(t, k.audio.rate) - ref
		if d > maxAudioSkew || d < -maxAudioSkew {
			k.audioShift = durToTicks(ref, k.audio.rate) - u.pts
			t = u.pts + k.audioShift
			k.log.Debug("audio realigned to video", "skew", d.Round(time.Millisecond))
		} else if d > 0 {
			// Audio ahead of the video (AAC passes through without delay)
			// waits: the keyframe that cuts before it may still come.
			k.ahead = append(k.ahead, aheadAudio{t, u})
			return
		}
	}
	k.route(t, u)
}

// maxAhead bounds the audio units waiting for video (seconds of audio).
const maxAhead = 512

// aheadAudio is an audio unit (at t, shifted) waiting for the video.
type aheadAudio struct {
	t int64
	u unit
}

// release routes the waiting audio that the video has reached (all of it
// when upTo < 0).
func (k *cutter) release(upTo time.Duration) {
	n := 0
	for _, a := range k.ahead {
		if upTo >= 0 && ticksToDur(a.t, k.audio.rate) > upTo {
			break
		}
		k.route(a.t, a.u)
		n++
	}
	k.ahead = append(k.ahead[:0], k.ahead[n:]...)
}

// route writes an audio unit at t into the file its time belongs to: one
// waiting for late audio if t is before its cut. Audio past a waiting
// file's cut means no more audio will come for it: it is finished.
func (k *cutter) route(t int64, u unit) {
	for len(k.olds) > 0 {
		if o := k.olds[0]; t < o.cutAudio {
			k.writeAudio(o, t, u)
			return
		}
		k.finishOld(t)
	}
	if k.cur == nil || t < k.cur.audioBase {
		k.lateAudio++
		return
	}
	k.writeAudio(k.cur, t, u)
}

func (k *cutter) writeAudio(s *openSeg, t int64, u unit) {
	rel := t - s.audioBase
	if rel < 0 || (s.hasAudio && rel <= s.lastAudio) {
		k.lateAudio++
		return
	}
	if err := s.w.Write(audioID, rel, &fmp4.Sample{Payload: u.data}); err != nil {
		k.log.Warn("writing audio failed", "err", err)
		return
	}
	s.hasAudio, s.lastAudio, s.audioDur = true, rel, u.dur
}

// finishOld closes the oldest segment waiting for late audio. next is the
// audio time (ticks) of the first sample past its cut, which ends its last
// audio sample exactly; -1 when none came.
func (k *cutter) finishOld(next int64) {
	s := k.olds[0]
	k.olds = append(k.olds[:0], k.olds[1:]...)
	k.finish(s, next)
}

// finish closes s, ending video at s.videoEnd and audio at next (or after
// its last sample's own duration), and reports it.
func (k *cutter) finish(s *openSeg, next int64) {
	end := map[int]int64{videoID: s.videoEnd}
	if s.hasAudio {
		// next ends the last sample exactly when it follows it (within a
		// sample's length: timestamps of real cameras wobble); after a gap
		// the last sample keeps its own duration.
		end[audioID] = s.lastAudio + s.audioDur
		if rel := next - s.audioBase; next >= 0 && rel > s.lastAudio && rel <= s.lastAudio+2*s.audioDur {
			end[audioID] = rel
		}
	}
	info, err := s.w.Close(end)
	if err != nil {
		k.log.Error("closing segment failed", "file", s.w.Name(), "err", err)
		return
	}
	k.log.Info("segment closed", "file", info.Name, "duration", info.Duration.Round(time.Millisecond), "size", info.Size)
	k.c.emit(Event{Kind: SegmentClosed, Time: time.Now(), Segment: &info})
}

// recover publishes what an aborted segment left on disk (its temp file
// plays up to the last fragment written), as a restart would.
func (k *cutter) recover() {
	infos, err := segment.Recover(k.c.Dir, k.c.Scheme)
	for i := range infos {
		k.log.Info("recovered unfinished segment", "file", infos[i].Name, "duration", infos[i].Duration.Round(time.Millisecond))
		k.c.emit(Event{Kind: Recovered, Time: time.Now(), Segment: &infos[i]})
	}
	if err != nil {
		k.log.Warn("recovering unfinished segment", "err", err)
	}
}

func (k *cutter) abort(s *openSeg) {
	if err := s.w.Abort(); err != nil {
		k.log.Warn("discarding segment failed", "file", s.w.Name(), "err", err)
	}
}

// closeAll ends whatever is open at the last good sample (camera lost,
// timestamps jumped, shutting down).
func (k *cutter) closeAll() {
	if len(k.ahead) > 0 {
		// Audio up to the end of the last picture goes in; the rest would
		// belong to a file that will not exist.
		if s := k.cur; s != nil {
			k.release(ticksToDur(s.videoBase+s.lastVideo+k.prevDur, videoClock) - 1)
		} else if len(k.olds) > 0 {
			k.release(-1)
		}
		k.lateAudio += len(k.ahead)
		k.ahead = k.ahead[:0]
	}
	for len(k.olds) > 0 {
		k.finishOld(-1)
	}
	if s := k.cur; s != nil {
		k.cur = nil
		s.videoEnd = s.lastVideo + k.prevDur
		k.finish(s, -1)
	}
}

// resync closes the open segments and waits for a keyframe with a fresh
// clock anchor: the old timestamps no longer relate to the new ones.
func (k *cutter) resync() {
	k.closeAll()
	k.needKey = true
	k.havePrev = false
	k.audioShift = 0
	k.clock.reset()
}
