package record

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/pion/rtp"
)

// stallTimeout: a camera that keeps the connection open but sends no video
// for this long is treated as lost.
const stallTimeout = 10 * time.Second

// unitQueue decouples the RTSP reader from disk writes (a segment close
// fsyncs): several seconds of video at camera frame rates.
const unitQueue = 512

// session is one connection to the camera, from DESCRIBE until it fails or
// ctx ends. Its goroutines, and what each one owns:
//
//   - run's caller: the client's set-up, then watch (ctx, stall check,
//     the client's end) and the teardown.
//   - closeIfCancelled: nothing; it closes the client if ctx ends during
//     set-up, because gortsplib's calls take no context.
//   - gortsplib's reader: the RTP callbacks, so the depacketizers and
//     attachVideo's timestamp state; it sends units and stores lastVideo.
//   - the cutter (cutter.run): the cutter and every open segment.
//   - the G.711 worker (audioSource.transcode): the transcoder.
//   - one goroutine waiting on client.Wait.
//
// Shared between them only: the units channel (closed by the teardown once
// no callback can run), lastVideo and link (atomics).
type session struct {
	c         *config
	log       *slog.Logger
	client    *gortsplib.Client
	link      *link
	lastVideo atomic.Int64 // unix nanos of the last video access unit
	closeOnce sync.Once
	closed    chan struct{}
}

func newSession(c *config, log *slog.Logger) *session {
	return &session{c: c, log: log, link: newLink(), closed: make(chan struct{})}
}

// tracks are the camera's tracks a session records.
type tracks struct {
	vmedia  *description.Media
	vformat format.Format
	audio   *audioSource // nil: video only
}

// recording is the cutter of a playing session.
type recording struct {
	done chan struct{} // closed when the cutter has closed its files
	got  atomic.Bool   // a first frame was written
}

// run connects and records until the connection fails or ctx is done.
// streamed reports whether any video was recorded; onStreaming is called
// when the first frame is written.
func (s *session) run(ctx context.Context, onStreaming func()) (streamed bool, err error) {
	u, err := base.ParseURL(s.c.url.String())
	if err != nil {
		return false, permanentf("camera URL is not valid")
	}
	if err := s.start(u); err != nil {
		return false, err
	}
	defer s.close()
	playing := make(chan struct{})
	go s.closeIfCancelled(ctx, playing)

	tr, err := s.setup(u)
	if err != nil {
		return false, err
	}
	units := make(chan unit, unitQueue)
	if err := s.attach(tr, units); err != nil {
		return false, err
	}
	rec := s.startCutter(tr, units, onStreaming)
	defer func() { streamed = s.teardown(tr, units, rec) }()

	s.lastVideo.Store(time.Now().UnixNano())
	if _, err := s.client.Play(nil); err != nil {
		return false, s.explain(err)
	}
	close(playing)
	return false, s.watch(ctx)
}

// start creates the client with the configured transport.
func (s *session) start(u *base.URL) error {
	s.client = &gortsplib.Client{Scheme: u.Scheme, Host: u.Host, DialContext: coalescingDialer(s.link)}
	switch s.c.Transport {
	case "tcp":
		t := gortsplib.TransportTCP
		s.client.Transport = &t
	case "udp":
		t := gortsplib.TransportUDP
		s.client.Transport = &t
	}
	return s.client.Start2()
}

// close closes the client once, whoever asks first.
func (s *session) close() {
	s.closeOnce.Do(func() { s.client.Close(); close(s.closed) })
}

// closeIfCancelled unblocks the set-up calls when ctx ends before PLAY
// succeeded; once playing, watch handles ctx itself.
func (s *session) closeIfCancelled(ctx context.Context, playing <-chan struct{}) {
	select {
	case <-ctx.Done():
		s.close()
	case <-playing:
	case <-s.closed:
	}
}

// explain turns a client error into what the user can act on.
func (s *session) explain(err error) error {
	if s.link.http.Load() {
		return errHTTP
	}
	return explain(err)
}

// setup describes the stream, picks the tracks and sets them up.
func (s *session) setup(u *base.URL) (*tracks, error) {
	desc, _, err := s.client.Describe(u)
	if err != nil {
		return nil, s.explain(err)
	}
	tr := &tracks{}
	if tr.vmedia, tr.vformat, err = pickVideo(desc); err != nil {
		return nil, err
	}
	if tr.audio, err = s.pickAudio(desc); err != nil {
		return nil, err
	}
	if _, err := s.client.Setup(desc.BaseURL, tr.vmedia, 0, 0); err != nil {
		return nil, s.explain(err)
	}
	if tr.audio != nil {
		if _, err := s.client.Setup(desc.BaseURL, tr.audio.media, 0, 0); err != nil {
			s.log.Warn("camera refused the audio track; recording video only", "err", s.c.redactErr(err))
			tr.audio = nil
		}
	}
	return tr, nil
}

// pickAudio chooses the audio track unless audio is off, warning once per
// Run (not per reconnect) about audio it cannot record.
func (s *session) pickAudio(desc *description.Session) (*audioSource, error) {
	if s.c.Audio != "auto" {
		return nil, nil
	}
	asrc, skipped, err := pickAudio(desc, s.log)
	if err != nil {
		return nil, err
	}
	if asrc == nil && len(skipped) > 0 && !s.c.audioWarned {
		s.c.audioWarned = true
		s.log.Warn("audio codec not supported; recording video only", "audio", skipped)
	}
	return asrc, nil
}

// attach registers the RTP callbacks (after Setup) and starts the audio worker.
func (s *session) attach(tr *tracks, units chan<- unit) error {
	if err := attachVideo(s.client, tr.vmedia, tr.vformat, units, &s.lastVideo, s.c.wallShift); err != nil {
		return err
	}
	if tr.audio != nil {
		return tr.audio.attach(s.client, units)
	}
	return nil
}

// startCutter runs the cutter on its own goroutine.
func (s *session) startCutter(tr *tracks, units <-chan unit, onStreaming func()) *recording {
	var aout *audioOut
	if tr.audio != nil {
		aout = tr.audio.out
	}
	rec := &recording{done: make(chan struct{})}
	k := newCutter(s.c, s.log, newVideoTrack(tr.vformat), aout, func() {
		rec.got.Store(true)
		// Coalesce reads only now: the first picture's arrival anchors the
		// wall clock and must not wait in the socket.
		s.link.coalesce.Store(true)
		onStreaming()
	})
	k.activity = s.c.activity
	k.gulp = s.link.gulp
	go func() { k.run(units); close(rec.done) }()
	return rec
}

// teardown stops the session's goroutines in the order that keeps them
// safe (no callback may run once units is closed) and reports whether
// anything was recorded.
func (s *session) teardown(tr *tracks, units chan unit, rec *recording) (streamed bool) {
	s.close()
	if tr.audio != nil {
		tr.audio.stop()
	}
	close(units)
	s.link.handOver() // the cutter finds units closed now, not at its next wake-up
	<-rec.done
	return rec.got.Load()
}

// watch waits while playing: for ctx, the client's end, or a stall.
func (s *session) watch(ctx context.Context) error {
	waitErr := make(chan error, 1)
	go func() { waitErr <- s.client.Wait() }()
	tick := time.NewTicker(stallTimeout / 4)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			s.drain()
			return nil
		case err := <-waitErr:
			if ctx.Err() != nil {
				return nil
			}
			return s.explain(err)
		case now := <-tick.C:
			if idle := now.Sub(time.Unix(0, s.lastVideo.Load())); idle > stallTimeout {
				return fmt.Errorf("no video from the camera for %v", idle.Round(time.Second))
			}
		}
	}
}

// drain takes in what the coalescing reads left in the socket, so the last
// files get the audio and video that were sent.
func (s *session) drain() {
	s.link.coalesce.Store(false)
	time.Sleep(wakeInterval + 50*time.Millisecond)
}

// pickVideo finds the H.264 or H.265 track; other video is a permanent error.
func pickVideo(desc *description.Session) (*description.Media, format.Format, error) {
	var h264 *format.H264
	if m := desc.FindFormat(&h264); m != nil {
		return m, h264, nil
	}
	var h265 *format.H265
	if m := desc.FindFormat(&h265); m != nil {
		return m, h265, nil
	}
	for _, m := range desc.Medias {
		if m.Type == description.MediaTypeVideo && len(m.Formats) > 0 {
			return nil, nil, permanentf("unsupported video codec %s (camshare records H.264 and H.265; set the camera's stream to one of them)", m.Formats[0].Codec())
		}
	}
	return nil, nil, permanentf("the stream has no video track")
}

// attachVideo registers the video RTP callback: it reassembles access
// units and queues them with their arrival time. Queueing blocks when the
// cutter is behind (losing video would break decoding until the next
// keyframe); the cutter never waits on the network, so this is brief.
func attachVideo(c *gortsplib.Client, m *description.Media, f format.Format, units chan<- unit, last *atomic.Int64, shift time.Duration) error {
	var decode func(*rtp.Packet) ([][]byte, error)
	switch f := f.(type) {
	case *format.H264:
		d, err := f.CreateDecoder()
		if err != nil {
			return err
		}
		decode = d.Decode
	case *format.H265:
		d, err := f.CreateDecoder()
		if err != nil {
			return err
		}
		decode = d.Decode
	}
	// Cameras that never set the RTP marker get each access unit back when
	// the next one's first packet arrives: that unit has the previous
	// timestamp's PTS.
	var curTS uint32
	var curPTS, prevPTS int64
	c.OnPacketRTP(m, f, func(pkt *rtp.Packet) {
		pts, ok := c.PacketPTS2(m, pkt)
		if !ok {
			return
		}
		if pkt.Timestamp != curTS {
			prevPTS = curPTS
		}
		curTS, curPTS = pkt.Timestamp, pts
		au, err := decode(pkt)
		if err != nil {
			// More packets needed, or a lost one cost this frame (the
			// decoder tolerates that until the next keyframe).
			return
		}
		if !pkt.Marker {
			pts = prevPTS
		}
		now := time.Now()
		last.Store(now.UnixNano())
		units <- unit{pts: pts, au: au, arrival: now.Add(shift)}
	})
	return nil
}
