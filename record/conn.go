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
// ctx ends.
type session struct {
	c   *config
	log *slog.Logger
}

func newSession(c *config, log *slog.Logger) *session { return &session{c: c, log: log} }

// run connects and records until the connection fails or ctx is done.
// streamed reports whether any video was recorded; onStreaming is called
// when the first frame is written.
func (s *session) run(ctx context.Context, onStreaming func()) (streamed bool, err error) {
	u, err := base.ParseURL(s.c.url.String())
	if err != nil {
		return false, permanentf("camera URL is not valid")
	}
	var coalesce atomic.Bool
	client := &gortsplib.Client{Scheme: u.Scheme, Host: u.Host, DialContext: coalescingDialer(&coalesce)}
	switch s.c.Transport {
	case "tcp":
		t := gortsplib.TransportTCP
		client.Transport = &t
	case "udp":
		t := gortsplib.TransportUDP
		client.Transport = &t
	}
	if err := client.Start2(); err != nil {
		return false, err
	}
	// gortsplib calls take no context: closing the client unblocks them.
	// Once playing, the loop below handles ctx itself.
	closed, playing := make(chan struct{}), make(chan struct{})
	var closeOnce sync.Once
	closeClient := func() { closeOnce.Do(func() { client.Close(); close(closed) }) }
	go func() {
		select {
		case <-ctx.Done():
			closeClient()
		case <-playing:
		case <-closed:
		}
	}()
	defer closeClient()

	desc, _, err := client.Describe(u)
	if err != nil {
		return false, explain(err)
	}
	vmedia, vformat, err := pickVideo(desc)
	if err != nil {
		return false, err
	}
	var asrc *audioSource
	if s.c.Audio == "auto" {
		var skipped []string
		if asrc, skipped, err = pickAudio(desc, s.log); err != nil {
			return false, err
		}
		if asrc == nil && len(skipped) > 0 && !s.c.audioWarned {
			s.c.audioWarned = true // once per Run, not per reconnect
			s.log.Warn("audio codec not supported; recording video only", "audio", skipped)
		}
	}
	if _, err := client.Setup(desc.BaseURL, vmedia, 0, 0); err != nil {
		return false, explain(err)
	}
	if asrc != nil {
		if _, err := client.Setup(desc.BaseURL, asrc.media, 0, 0); err != nil {
			s.log.Warn("camera refused the audio track; recording video only", "err", s.c.redactErr(err))
			asrc = nil
		}
	}

	units := make(chan unit, unitQueue)
	var lastVideo atomic.Int64 // unix nanos of the last video access unit
	if err := attachVideo(client, vmedia, vformat, units, &lastVideo); err != nil {
		return false, err
	}
	var aout *audioOut
	if asrc != nil {
		if err := asrc.attach(client, units); err != nil {
			return false, err
		}
		aout = asrc.out
	}

	var got atomic.Bool
	k := newCutter(s.c, s.log, newVideoTrack(vformat), aout, func() {
		got.Store(true)
		// Coalesce reads only now: the first picture's arrival anchors the
		// wall clock and must not wait in the socket.
		coalesce.Store(true)
		onStreaming()
	})
	cutterDone := make(chan struct{})
	go func() { k.run(units); close(cutterDone) }()
	// Teardown order matters: no callback may run once units is closed.
	defer func() {
		closeClient()
		if asrc != nil {
			asrc.stop()
		}
		close(units)
		<-cutterDone
		streamed = got.Load()
	}()

	lastVideo.Store(time.Now().UnixNano())
	if _, err := client.Play(nil); err != nil {
		return false, explain(err)
	}
	close(playing)
	waitErr := make(chan error, 1)
	go func() { waitErr <- client.Wait() }()
	tick := time.NewTicker(stallTimeout / 4)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			// Take in what the coalescing reads left in the socket, so
			// the last files get the audio and video that were sent.
			coalesce.Store(false)
			time.Sleep(wakeInterval + 50*time.Millisecond)
			return false, nil
		case err := <-waitErr:
			if ctx.Err() != nil {
				return false, nil
			}
			return false, explain(err)
		case now := <-tick.C:
			if idle := now.Sub(time.Unix(0, lastVideo.Load())); idle > stallTimeout {
				return false, fmt.Errorf("no video from the camera for %v", idle.Round(time.Second))
			}
		}
	}
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
func attachVideo(c *gortsplib.Client, m *description.Media, f format.Format, units chan<- unit, last *atomic.Int64) error {
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
		units <- unit{pts: pts, au: au, arrival: now}
	})
	return nil
}
