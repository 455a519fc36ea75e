// Package testcam is an in-process RTSP test camera: a gortsplib server that
// plays one of the committed fixtures (testdata/make-fixtures.sh) in real
// time, looping forever with continuous timestamps. Tests, benchmarks and
// `camshare demo` record it instead of real hardware.
package testcam

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/description"
)

// Options configure a test camera. The zero value plays h264_pcma on a free
// local port at /stream without authentication.
type Options struct {
	Fixture    string       // fixture name (see Fixtures); "" = "h264_pcma"
	Addr       string       // listen address; "" = "127.0.0.1:0" (a free port)
	Path       string       // stream path; "" = "/stream"
	User, Pass string       // when set, clients must authenticate (401 otherwise)
	Log        *slog.Logger // nil = discard
}

// Camera is a running (or stopped) test camera. Its methods are safe for
// concurrent use.
type Camera struct {
	opts   Options
	log    *slog.Logger
	tracks []*track
	medias []*description.Media

	frames atomic.Int64 // video access units written, over all runs
	jump   atomic.Int64 // nanoseconds added to every timestamp (JumpTimestamps)
	frozen atomic.Bool  // sending nothing while the session stays open (Freeze)

	mu       sync.Mutex
	addr     string // resolved on the first start, reused by Restart
	udpPorts [2]int // RTP/RTCP ports for the UDP transport, also reused
	cur      *session
	closed   bool
}

// Start loads the fixture and starts serving it.
func Start(o Options) (*Camera, error) {
	if o.Fixture == "" {
		o.Fixture = DefaultFixture
	}
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	if o.Path == "" {
		o.Path = "/stream"
	}
	if !strings.HasPrefix(o.Path, "/") {
		o.Path = "/" + o.Path
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	tracks, err := loadFixture(o.Fixture)
	if err != nil {
		return nil, fmt.Errorf("testcam: %w", err)
	}
	c := &Camera{opts: o, log: o.Log.With("testcam", o.Fixture), tracks: tracks, addr: o.Addr}
	for _, t := range tracks {
		c.medias = append(c.medias, t.media)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.startLocked(); err != nil {
		return nil, err
	}
	return c, nil
}

// URL is the stream's address, never with credentials in it.
func (c *Camera) URL() string {
	return "rtsp://" + c.dialAddr() + c.opts.Path
}

// Addr is the address the camera listens on (host:port).
func (c *Camera) Addr() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.addr
}

// dialAddr is Addr with an unspecified host replaced by loopback.
func (c *Camera) dialAddr() string {
	host, port, err := net.SplitHostPort(c.Addr())
	if err != nil {
		return c.Addr()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// Fixture is the name of the fixture being played.
func (c *Camera) Fixture() string { return c.opts.Fixture }

// FramesSent counts the video access units written so far, over all runs.
func (c *Camera) FramesSent() int { return int(c.frames.Load()) }

// JumpTimestamps adds d to the RTP timestamps of all tracks from now on, as a
// camera whose clock jumps does. Pacing is unaffected.
func (c *Camera) JumpTimestamps(d time.Duration) { c.jump.Add(int64(d)) }

// Freeze stops (true) or resumes (false) sending media while clients stay
// connected, as a camera whose encoder stalls does. Playback goes on
// underneath: after a freeze the stream continues at the wall clock's time,
// with the frozen stretch missing.
func (c *Camera) Freeze(on bool) { c.frozen.Store(on) }

// Stop stops serving: clients are disconnected and the port is released.
// It is idempotent; Restart serves again.
func (c *Camera) Stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopLocked()
}

// Restart starts serving again on the same address, like a rebooted camera:
// the fixture starts over with fresh random RTP timestamps, sequence numbers
// and SSRCs. If the camera is running it is stopped first.
func (c *Camera) Restart() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return errors.New("testcam: restart after Close")
	}
	c.stopLocked()
	// The old listener is closed, but retry briefly in case the kernel has
	// not let go of the port yet.
	var err error
	for i := 0; i < 20; i++ {
		if err = c.startLocked(); err == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return err
}

// Close stops the camera for good.
func (c *Camera) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopLocked()
	c.closed = true
}

func (c *Camera) stopLocked() {
	if c.cur == nil {
		return
	}
	c.cur.close()
	c.cur = nil
	c.log.Debug("testcam stopped", "addr", c.addr)
}

func (c *Camera) startLocked() error {
	s, err := c.newSession()
	if err != nil {
		return fmt.Errorf("testcam: %w", err)
	}
	c.cur = s
	c.log.Debug("testcam serving", "url", "rtsp://"+c.addr+c.opts.Path)
	return nil
}
