package record

import (
	"context"
	"net"
	"sync/atomic"
	"time"
)

// wakeInterval bounds how often the recorder wakes up to read the camera
// and to write what it read. A camera sends a packet every few
// milliseconds (audio every 20 ms, video in bursts per frame); waking for
// each costs more CPU than handling it, most of all on the small ARM boards
// and phones camshare runs on. Gathering half a second per wake-up cuts
// the recorder's CPU by about half (bench/recordprof, 20 s: voluntary
// context switches 5500 → 1800); the kernel's socket buffer holds the data
// meanwhile (500 ms of an 8 Mbit/s stream is 500 kB, well within Linux's
// autotuned TCP buffers), and the latency means nothing to a recording.
const wakeInterval = 500 * time.Millisecond

// coalescingConn is the camera's TCP connection, read at most once per
// wakeInterval once the socket has been drained: it sleeps before reading
// again, so the packets that arrived meanwhile come in one read instead of
// one wake-up each. It is off during the RTSP handshake, so requests are
// answered without delay, and until the first picture is in, whose arrival
// time anchors the wall clock.
type coalescingConn struct {
	net.Conn
	link    *link
	last    time.Time // start of the previous read
	drained bool      // the previous read emptied the socket
	head    []byte    // the first bytes the server sent, up to len(httpReply)
}

// link is what the session and its camera connection share.
type link struct {
	coalesce atomic.Bool // read in gulps (on once the first picture is in)
	http     atomic.Bool // the server answered with an HTTP status line
}

// httpReply starts the status line of a web server, which is what a
// camera's web interface on the RTSP port, or a wrong port, answers.
const httpReply = "HTTP/"

func (c *coalescingConn) Read(p []byte) (int, error) {
	if c.drained && c.link.coalesce.Load() {
		if d := wakeInterval - time.Since(c.last); d > 0 {
			time.Sleep(d)
		}
	}
	c.last = time.Now()
	n, err := c.Conn.Read(p)
	c.drained = n < len(p)
	if len(c.head) < len(httpReply) {
		c.watchHead(p[:n])
	}
	return n, err
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
		return &coalescingConn{Conn: c, link: l}, nil
	}
}
