package record

import (
	"context"
	"net"
	"sync/atomic"
	"syscall"
	"time"
)

// wakeInterval bounds how often the recorder wakes up to read the camera
// and to write what it read. A camera sends a packet every few
// milliseconds (audio every 40 ms, video in bursts per frame); waking for
// each costs more CPU than handling it, most of all on the small ARM boards
// and phones camshare runs on. A second per wake-up matches the segment's
// one-second fragments, so a fragment is still written as soon as it is
// complete; against half a second it cut the recorder's CPU by about a
// fifth (perf stat, 120 s side by side on one camera) for at most half a
// second more delay in the live view. The kernel's socket buffer holds
// the data meanwhile (a second of an 8 Mbit/s main stream is 1 MB; the
// low-water mark below makes Linux size the buffer for it).
const wakeInterval = time.Second

// gulpSize is what one read(2) may take from the socket: a second of
// a low-res substream (~64 kB) comes in one call, where gortsplib's own
// 4 KiB reader would make sixteen.
const gulpSize = 128 << 10

// sleepLowWater is the socket's receive low-water mark while reads are
// coalesced. Without it every segment of the camera's stream that arrives
// makes the socket readable, and Go's network poller wakes a thread for
// it although nobody reads until the gulp's time comes. With it the
// socket stays quiet until this much is waiting (4 s of a 2 Mbit/s
// substream, 1 s of an 8 Mbit/s main stream), and the gulp is taken with a
// non-blocking read, which returns what is there whatever the mark. Linux
// grows the socket's buffer to hold the mark, so a fast stream is not
// throttled by it.
const sleepLowWater = 1 << 20

// coalescingConn is the camera's TCP connection, read in gulps once
// link.coalesce is set: after a read that emptied the socket it tells the
// cutter that a gulp is complete, sleeps out the rest of wakeInterval with
// the socket quiet, and then takes everything that arrived in one read. It
// is off during the RTSP handshake, so requests are answered without
// delay, and until the first picture is in, whose arrival time anchors the
// wall clock.
type coalescingConn struct {
	net.Conn
	raw     syscall.RawConn // nil where the connection has no descriptor
	link    *link
	quiet   bool      // the low-water mark is sleepLowWater
	last    time.Time // start of the previous read
	drained bool      // the previous read emptied the socket
	buf     []byte    // the gulp being handed out
	pending []byte    // its part not yet read
	err     error     // the read's error, once pending is handed out
	head    []byte    // the first bytes the server sent, up to len(httpReply)
}

// link is what the session, its camera connection and its cutter share.
type link struct {
	coalesce atomic.Bool   // read in gulps (on once the first picture is in)
	http     atomic.Bool   // the server answered with an HTTP status line
	gulp     chan struct{} // a gulp's units are all queued (capacity 1)
}

func newLink() *link { return &link{gulp: make(chan struct{}, 1)} }

// handOver wakes the cutter, unless it has a wake-up pending already.
func (l *link) handOver() {
	select {
	case l.gulp <- struct{}{}:
	default:
	}
}

// httpReply starts the status line of a web server, which is what a
// camera's web interface on the RTSP port, or a wrong port, answers.
const httpReply = "HTTP/"

func (c *coalescingConn) Read(p []byte) (int, error) {
	if len(c.pending) == 0 && c.err == nil {
		c.fill()
	}
	if len(c.pending) == 0 {
		err := c.err
		c.err = nil
		return 0, err
	}
	n := copy(p, c.pending)
	c.pending = c.pending[n:]
	return n, nil
}

// fill takes the next gulp from the socket, first sleeping out the rest of
// wakeInterval when the last read emptied it.
func (c *coalescingConn) fill() {
	if c.buf == nil {
		c.buf = make([]byte, gulpSize)
	}
	coalesce := c.link.coalesce.Load()
	c.setQuiet(coalesce)
	if c.drained && coalesce {
		if d := wakeInterval - time.Since(c.last); d > 0 {
			c.link.handOver()
			time.Sleep(d)
		}
	}
	c.last = time.Now()
	var n int
	var ok bool
	var err error
	if c.quiet {
		n, ok, err = readNow(c.raw, c.buf)
	}
	if !ok {
		// Nothing is there (or no quiet socket): wait in the poller, which
		// must wake at the first byte.
		c.setQuiet(false)
		n, err = c.Conn.Read(c.buf)
	}
	c.drained = n < len(c.buf)
	c.pending, c.err = c.buf[:n], err
	if len(c.head) < len(httpReply) {
		c.watchHead(c.buf[:n])
	}
}

// setQuiet raises the low-water mark to sleepLowWater, or lowers it to 1,
// when it is not so already (lowwater_*.go: only Linux and Android have it).
func (c *coalescingConn) setQuiet(on bool) {
	if c.raw == nil || c.quiet == on {
		return
	}
	mark := 1
	if on {
		mark = sleepLowWater
	}
	c.quiet = setLowWater(c.raw, mark) && on
}

// watchHead keeps the first bytes of the reply and tells the session when
// they are an HTTP status line: gortsplib's own error for that is a parse
// error that depends on the rest of the reply.
func (c *coalescingConn) watchHead(b []byte) {
	c.head = append(c.head, b[:min(len(b), len(httpReply)-len(c.head))]...)
	if string(c.head) == httpReply {
		c.link.http.Store(true)
	}
}

// coalescingDialer dials TCP connections that coalesce reads once
// l.coalesce is set.
func coalescingDialer(l *link) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		cc := &coalescingConn{Conn: c, link: l}
		if sc, ok := c.(syscall.Conn); ok {
			cc.raw, _ = sc.SyscallConn()
		}
		return cc, nil
	}
}
