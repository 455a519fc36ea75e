package record

import (
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/testcam"
)

// stallProxy forwards TCP to a camera and can freeze the camera → client
// direction, as a wedged camera or a dead Wi-Fi link does: the connection
// stays open but nothing arrives.
type stallProxy struct {
	l      net.Listener
	target string
	frozen atomic.Bool
	mu     sync.Mutex
	conns  []net.Conn
}

func newStallProxy(t *testing.T, target string) *stallProxy {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &stallProxy{l: l, target: target}
	go p.serve()
	t.Cleanup(func() {
		l.Close()
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, c := range p.conns {
			c.Close()
		}
	})
	return p
}

func (p *stallProxy) serve() {
	for {
		c, err := p.l.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, up)
		p.mu.Unlock()
		go io.Copy(up, c)
		go p.down(c, up)
	}
}

// down copies camera → client, but a connection made while frozen, or one
// that sees the freeze, stops delivering for good.
func (p *stallProxy) down(c, up net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := up.Read(buf)
		if err != nil || p.frozen.Load() {
			return
		}
		if _, err := c.Write(buf[:n]); err != nil {
			return
		}
	}
}

// TestStalledStream: a connection that stays open but delivers nothing is
// a loss: the segment is closed and the recorder reconnects.
func TestStalledStream(t *testing.T) {
	cam := startCam(t, testcam.Options{Fixture: "h264_pcma"})
	addr := strings.TrimPrefix(strings.TrimSuffix(cam.URL(), "/stream"), "rtsp://")
	p := newStallProxy(t, addr)
	dir := t.TempDir()
	url := "rtsp://" + p.l.Addr().String() + "/stream"
	r := startRecorder(t, Options{URL: url, Dir: dir, Segment: time.Minute, Scheme: utcScheme(t)})
	waitFor(t, 20*time.Second, "connection", func() bool { return r.ev.count(Connected) == 1 })
	time.Sleep(2 * time.Second)
	p.frozen.Store(true)
	stalled := time.Now()
	waitFor(t, 40*time.Second, "the stall to count as a loss", func() bool { return r.ev.count(Disconnected) == 1 })
	t.Logf("stall noticed after %v", time.Since(stalled).Round(100*time.Millisecond))
	if n := len(r.segments()); n != 1 {
		t.Errorf("the open segment was not closed on the stall: %d segments", n)
	}
	p.frozen.Store(false)
	waitFor(t, 60*time.Second, "reconnection", func() bool { return r.ev.count(Connected) == 2 })
	time.Sleep(2 * time.Second)
	if err := r.stop(t); err != nil {
		t.Fatal(err)
	}
	checkAll(t, r, dir, time.Minute)
}
