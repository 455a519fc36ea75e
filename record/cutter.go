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

// unit is one access unit handed from the RTSP side to the cutter. The RTP
// side speaks its clock's ticks; the cutter turns them into stream time
// (time.Duration) on entry and back into each track's ticks only where a
// sample is written. The round trip is exact: ticks → nanoseconds is off by
// under 1 ns, and durToTicks rounds to the nearest tick.
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
	name  string        // as sidecars name it; "" is "aac"
	drops *atomic.Int64 // audio the source dropped (nil: it never drops)
	// learn makes codec from the first unit when the SDP cannot say it
	// (MP3's sample rate); until then no segment opens (see synced).
	learn func(first []byte) (fmp4.Codec, error)
}

// waitForCodec is how many keyframes the first segment waits for the audio
// that tells the audio track's codec; then it is recorded without audio.
const waitForCodec = 3

// openSeg is one segment being written. Times are stream time; the ones
// named relative count from base, the file's zero.
type openSeg struct {
	w         *segment.Writer
	start     time.Time     // wall time of its first frame
	boundary  time.Time     // the wall-clock boundary it ends at
	base      time.Duration // stream DTS of its first frame
	lastVideo time.Duration // relative DTS of the last video sample
	hasAudio  bool
	lastAudio time.Duration // relative DTS of the last audio sample
	audioDur  time.Duration // its duration
	// Set when video moved on to the next segment:
	videoEnd time.Duration // relative end of the video: audio from there on is the next file's
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
	codecWait     int  // keyframes the first segment waited for audio's codec
	paramsChanged bool // cut at the next keyframe
	havePrev      bool
	prevPTS       time.Duration
	prevDTS       time.Duration
	prevDur       time.Duration // last frame's duration, used to end a file early
	audioShift    time.Duration // added to audio timestamps to realign them to video
	ahead         []aheadAudio  // audio ahead of the video, in arrival order

	onFirst    func() // called after the first frame is written
	wroteFirst bool

	activity *activityLog    // nil: no activity scoring or sidecars (activity.go)
	gulp     <-chan struct{} // the connection's word that a gulp is queued (nil: the timer alone)

	lateAudio  int // audio dropped because it arrived after its segment closed
	failedOpen bool
	drops      int64 // the source's dropped audio, as last reported
}

func newCutter(c *config, log *slog.Logger, v *videoTrack, a *audioOut, onFirst func()) *cutter {
	return &cutter{c: c, log: log, video: v, audio: a, needKey: true, onFirst: onFirst, prevDur: time.Second / 10}
}

// run consumes units until the channel is closed, then closes what is open.
// It wakes when the camera connection has queued a gulp (gulp), or at
// latest every two wakeIntervals (the connection does not coalesce
// before the first picture, nor over UDP), and then takes everything queued.
func (k *cutter) run(units <-chan unit) {
	fallback := time.NewTimer(2 * wakeInterval)
	defer fallback.Stop()
	for {
		select {
		case <-k.gulp:
		case <-fallback.C:
		}
		fallback.Reset(2 * wakeInterval)
		if !k.takeQueued(units) {
			break
		}
		k.reportDrops()
	}
	k.closeAll()
	if k.lateAudio > 0 {
		k.log.Debug("audio arriving after its segment closed was dropped", "frames", k.lateAudio)
	}
}

// takeQueued handles every unit queued; false once units is closed.
func (k *cutter) takeQueued(units <-chan unit) bool {
	for {
		select {
		case u, open := <-units:
			if !open {
				return false
			}
			if u.audio {
				k.onAudio(u)
			} else {
				k.onVideo(u)
			}
		default:
			return true
		}
	}
}

// onVideo takes one access unit: timing checks, the cut, the write.
func (k *cutter) onVideo(u unit) {
	au, key, changed := k.video.scan(u.au)
	if changed && k.cur != nil {
		k.paramsChanged = true
	}
	pts := ticksToDur(u.pts, videoClock)
	k.checkJump(pts)
	if !k.synced(key) {
		return
	}
	dts, ok := k.decodeTime(au, pts)
	if !ok {
		return
	}
	k.clock.observe(dts, u.arrival)
	wall := k.clock.time(dts)
	if k.activity != nil {
		k.activity.frame(wall, au, key) // before a cut, so the closing file has its last second
	}
	if key && k.c.timelapse != nil {
		k.c.timelapse.keyFrame(wall, au, k.video.h265)
	}
	k.place(dts, wall, key)
	if k.cur == nil || !k.writeVideo(au, pts, dts, key) {
		return
	}
	k.advance(pts, dts)
	k.catchUpAudio(dts)
}

// checkJump resyncs when the camera's timestamps jump (reboot, clock reset).
func (k *cutter) checkJump(pts time.Duration) {
	if !k.havePrev {
		return
	}
	step := pts - k.prevPTS
	if step > maxForwardJump || step < -maxBackwardStep {
		k.log.Warn("camera timestamps jumped; closing the segment and resyncing at the next keyframe", "jump", step.Round(time.Millisecond))
		k.resync()
	}
}

// synced says whether frames are written: after a start or a resync only
// from a keyframe whose parameter sets are known.
func (k *cutter) synced(key bool) bool {
	if !k.needKey {
		return true
	}
	if !key || !k.video.ready() || !k.audioKnown() {
		return false
	}
	k.needKey = false
	k.video.resetDTS()
	return true
}

// decodeTime is the frame's DTS; false drops the frame.
func (k *cutter) decodeTime(au [][]byte, pts time.Duration) (time.Duration, bool) {
	dts, err := k.video.dts(au, pts)
	if err != nil {
		k.log.Warn("bad video timing; resyncing at the next keyframe", "err", err)
		k.resync()
		return 0, false
	}
	if k.havePrev && dts <= k.prevDTS {
		// A repeated timestamp: MP4 cannot hold two frames at one time.
		k.log.Debug("dropped a video frame with a repeated timestamp", "dts", dts)
		return 0, false
	}
	return dts, true
}

// place opens the first segment, or cuts at a keyframe past the boundary
// (or with new parameter sets).
func (k *cutter) place(dts time.Duration, wall time.Time, key bool) {
	switch {
	case k.cur == nil:
		k.open(dts, wall)
	case key && (k.paramsChanged || !wall.Before(k.cur.boundary)):
		k.cut(dts, wall)
	}
}

// writeVideo writes the frame into the current segment. A failed write
// ends that segment (what reached the disk is published) and waits for
// the next keyframe to start a new one.
func (k *cutter) writeVideo(au [][]byte, pts, dts time.Duration, key bool) bool {
	// The NAL units go to the file as they came from the camera's packets
	// (gortsplib makes each packet's buffer afresh, so holding them until
	// the fragment is written is safe): no per-frame sample buffer.
	rel := dts - k.cur.base
	err := k.cur.w.WriteNALUs(videoID, durToTicks(rel, videoClock), au, ptsOffset(pts, dts), key)
	k.cur.lastVideo = rel
	if err != nil {
		k.log.Error("writing segment failed; starting a new one at the next keyframe", "err", err)
		k.salvage(k.cur)
		k.cur = nil
		k.needKey = true
		return false
	}
	return true
}

// advance records a written frame as the previous one.
func (k *cutter) advance(pts, dts time.Duration) {
	if k.havePrev && dts > k.prevDTS {
		k.prevDur = dts - k.prevDTS
	}
	k.havePrev, k.prevPTS, k.prevDTS = true, pts, dts
	if !k.wroteFirst {
		k.wroteFirst = true
		if k.onFirst != nil {
			k.onFirst()
		}
	}
}

// catchUpAudio routes the audio the video has now reached and closes the
// segments whose wait for late audio is over.
func (k *cutter) catchUpAudio(pos time.Duration) {
	if len(k.ahead) > 0 {
		k.release(pos)
	}
	for len(k.olds) > 0 && pos >= k.olds[0].closeBy {
		k.finishOld(noNextAudio)
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
func (k *cutter) open(dts time.Duration, wall time.Time) {
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
	if k.activity != nil {
		k.activity.writer(w, k.video.codecName(), k.audioName(), func(err error) {
			k.log.Warn("writing the segment's sidecar failed; the segment is kept without it", "err", err)
		})
	}
	k.cur = &openSeg{
		w:        w,
		start:    wall,
		boundary: nextBoundary(wall, k.c.Segment, k.c.Scheme.Location()),
		base:     dts,
	}
}

// cut ends the current segment where the keyframe at dts begins the next:
// that keyframe's time is the old file's end, so the two files meet without
// a gap or an overlap.
func (k *cutter) cut(dts time.Duration, wall time.Time) {
	s := k.cur
	k.cur = nil
	s.videoEnd = dts - s.base
	if k.audio == nil {
		k.finish(s, noNextAudio)
	} else {
		// The audio worker lags: keep the file open for audio up to the cut.
		s.closeBy = dts + audioGrace
		k.olds = append(k.olds, s)
	}
	k.open(dts, wall)
}

// audioKnown says whether the audio track's codec is known, giving up the
// audio (with a warning) once waitForCodec keyframes came without it.
func (k *cutter) audioKnown() bool {
	if k.audio == nil || k.audio.codec != nil {
		return true
	}
	if k.codecWait++; k.codecWait <= waitForCodec {
		return false
	}
	k.log.Warn("no audio frame arrived to tell its format; recording video only")
	k.audio = nil
	return true
}

func (k *cutter) onAudio(u unit) {
	if k.audio == nil {
		return
	}
	if k.audio.codec == nil {
		c, err := k.audio.learn(u.data)
		if err != nil {
			return
		}
		k.audio.codec = c
	}
	pts := ticksToDur(u.pts, k.audio.rate)
	t := pts + k.audioShift
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
	// Audio whose clock jumped on its own (or stayed behind when the video
	// jumped) is pulled back next to the video.
	d := t - k.prevDTS
	if d > maxAudioSkew || d < -maxAudioSkew {
		k.audioShift = k.prevDTS - pts
		t = k.prevDTS
		k.log.Debug("audio realigned to video", "skew", d.Round(time.Millisecond))
	} else if d > 0 {
		// Audio ahead of the video (AAC passes through without delay)
		// waits: the keyframe that cuts before it may still come.
		k.ahead = append(k.ahead, aheadAudio{t, u})
		return
	}
	k.route(t, u)
}

// maxAhead bounds the audio units waiting for video (seconds of audio).
const maxAhead = 512

// aheadAudio is an audio unit (at stream time t, shifted) waiting for the video.
type aheadAudio struct {
	t time.Duration
	u unit
}

// release routes the waiting audio that the video has reached.
func (k *cutter) release(upTo time.Duration) {
	n := 0
	for _, a := range k.ahead {
		if a.t > upTo {
			break
		}
		k.route(a.t, a.u)
		n++
	}
	k.ahead = append(k.ahead[:0], k.ahead[n:]...)
}

// releaseAll routes all the waiting audio.
func (k *cutter) releaseAll() {
	for _, a := range k.ahead {
		k.route(a.t, a.u)
	}
	k.ahead = k.ahead[:0]
}

// route writes an audio unit at t into the file its time belongs to: one
// waiting for late audio if t is before its cut. Audio past a waiting
// file's cut means no more audio will come for it: it is finished.
func (k *cutter) route(t time.Duration, u unit) {
	for len(k.olds) > 0 {
		if o := k.olds[0]; t < o.base+o.videoEnd {
			k.writeAudio(o, t, u)
			return
		}
		k.finishOld(nextAudio{t: t, ok: true})
	}
	if k.cur == nil || t < k.cur.base {
		k.lateAudio++
		return
	}
	k.writeAudio(k.cur, t, u)
}

func (k *cutter) writeAudio(s *openSeg, t time.Duration, u unit) {
	rel := t - s.base
	if rel < 0 || (s.hasAudio && rel <= s.lastAudio) {
		k.lateAudio++
		return
	}
	if err := s.w.Write(audioID, durToTicks(rel, k.audio.rate), &fmp4.Sample{Payload: u.data}); err != nil {
		k.log.Warn("writing audio failed", "err", err)
		return
	}
	s.hasAudio, s.lastAudio, s.audioDur = true, rel, ticksToDur(u.dur, k.audio.rate)
}

// nextAudio is the stream time (shifted) of the first audio sample past a
// segment's cut, which ends its last audio sample exactly, if one came.
type nextAudio struct {
	t  time.Duration
	ok bool
}

// noNextAudio: no audio came past the cut (video only, camera lost).
var noNextAudio = nextAudio{}

// finishOld closes the oldest segment waiting for late audio.
func (k *cutter) finishOld(next nextAudio) {
	s := k.olds[0]
	k.olds = append(k.olds[:0], k.olds[1:]...)
	k.finish(s, next)
}

// finish closes s, ending video at s.videoEnd and audio at next (or after
// its last sample's own duration), and reports it.
func (k *cutter) finish(s *openSeg, next nextAudio) {
	end := map[int]int64{videoID: durToTicks(s.videoEnd, videoClock)}
	if s.hasAudio {
		// next ends the last sample exactly when it follows it (within a
		// sample's length: timestamps of real cameras wobble); after a gap
		// the last sample keeps its own duration.
		audioEnd := s.lastAudio + s.audioDur
		if rel := next.t - s.base; next.ok && rel > s.lastAudio && rel <= s.lastAudio+2*s.audioDur {
			audioEnd = rel
		}
		end[audioID] = durToTicks(audioEnd, k.audio.rate)
	}
	info, err := s.w.Close(end)
	if err != nil {
		k.log.Error("closing segment failed", "file", s.w.Name(), "err", err)
		return
	}
	k.log.Info("segment closed", "file", info.Name, "duration", info.Duration.Round(time.Millisecond), "size", info.Size)
	k.c.emit(Event{Kind: SegmentClosed, Time: time.Now(), Segment: &info})
}

// salvage ends a segment after a failed write and publishes what it left
// on disk (its temp file plays up to the last fragment written), as a
// restart would; the other open segments are not touched.
func (k *cutter) salvage(s *openSeg) {
	info, kept, err := s.w.Salvage()
	if err != nil {
		k.log.Warn("recovering unfinished segment", "file", s.w.Name(), "err", err)
		return
	}
	if kept {
		k.log.Info("recovered unfinished segment", "file", info.Name, "duration", info.Duration.Round(time.Millisecond))
		k.c.emit(Event{Kind: Recovered, Time: time.Now(), Segment: &info})
	}
}

// closeAll ends whatever is open at the last good sample (camera lost,
// timestamps jumped, shutting down).
func (k *cutter) closeAll() {
	if k.activity != nil {
		k.activity.flush()
	}
	if len(k.ahead) > 0 {
		// Audio up to the end of the last picture goes in; the rest would
		// belong to a file that will not exist.
		if s := k.cur; s != nil {
			k.release(s.base + s.lastVideo + k.prevDur - 1)
		} else if len(k.olds) > 0 {
			k.releaseAll()
		}
		k.lateAudio += len(k.ahead)
		k.ahead = k.ahead[:0]
	}
	for len(k.olds) > 0 {
		k.finishOld(noNextAudio)
	}
	if s := k.cur; s != nil {
		k.cur = nil
		s.videoEnd = s.lastVideo + k.prevDur
		k.finish(s, noNextAudio)
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
