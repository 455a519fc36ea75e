package testcam

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"
)

// session is one run of the camera, from (re)start to stop: the RTSP
// server, its stream and the goroutine that plays the fixture into it.
type session struct {
	cam    *Camera
	server *gortsplib.Server
	stop   chan struct{}
	done   chan struct{}

	// Held from before the server starts until the stream exists, so early
	// clients wait instead of finding no stream (as in gortsplib's examples).
	streamMu sync.RWMutex
	stream   *gortsplib.ServerStream
}

func (c *Camera) newSession() (*session, error) {
	s := &session{cam: c, stop: make(chan struct{}), done: make(chan struct{})}
	host, _, err := net.SplitHostPort(c.addr)
	if err != nil {
		return nil, err
	}
	udp, err := c.udpListeners(host)
	if err != nil {
		return nil, err
	}
	s.server = &gortsplib.Server{
		Handler:        s,
		RTSPAddress:    c.addr,
		UDPRTPAddress:  net.JoinHostPort(host, strconv.Itoa(c.udpPorts[0])),
		UDPRTCPAddress: net.JoinHostPort(host, strconv.Itoa(c.udpPorts[1])),
		// Learn the port the kernel picked for ":0", so Restart reuses it.
		Listen: func(network, address string) (net.Listener, error) {
			ln, err := net.Listen(network, address)
			if err == nil {
				c.addr = ln.Addr().String()
			}
			return ln, err
		},
		// Hand over the UDP pair reserved by udpListeners.
		ListenPacket: func(network, address string) (net.PacketConn, error) {
			if pc, ok := udp[address]; ok {
				delete(udp, address)
				return pc, nil
			}
			return net.ListenPacket(network, address)
		},
	}
	s.streamMu.Lock()
	defer s.streamMu.Unlock()
	err = s.server.Start()
	for _, pc := range udp { // left over if Start failed early
		pc.Close()
	}
	if err != nil {
		return nil, err
	}
	// A fresh stream picks fresh SSRCs.
	s.stream = &gortsplib.ServerStream{Server: s.server, Desc: &description.Session{Medias: c.medias}}
	if err := s.stream.Initialize(); err != nil {
		s.server.Close()
		return nil, err
	}
	go s.play()
	return s, nil
}

// udpListeners reserves an even/odd pair of consecutive UDP ports (RTP and
// RTCP, as gortsplib requires) on the first start, and rebinds the same pair
// on restarts, so parallel test cameras never collide on fixed ports.
func (c *Camera) udpListeners(host string) (map[string]net.PacketConn, error) {
	bind := func(port int) (net.PacketConn, error) {
		return net.ListenPacket("udp", net.JoinHostPort(host, strconv.Itoa(port)))
	}
	key := func(port int) string { return net.JoinHostPort(host, strconv.Itoa(port)) }
	if c.udpPorts[0] != 0 {
		return map[string]net.PacketConn{}, nil // gortsplib binds them itself
	}
	for i := 0; i < 100; i++ {
		a, err := bind(0)
		if err != nil {
			return nil, err
		}
		p := a.LocalAddr().(*net.UDPAddr).Port
		if p%2 != 0 || p >= 65535 {
			a.Close()
			continue
		}
		b, err := bind(p + 1)
		if err != nil {
			a.Close()
			continue
		}
		c.udpPorts = [2]int{p, p + 1}
		return map[string]net.PacketConn{key(p): a, key(p + 1): b}, nil
	}
	return nil, fmt.Errorf("no free pair of UDP ports on %q", host)
}

func (s *session) close() {
	close(s.stop)
	<-s.done
	s.stream.Close()
	s.server.Close()
}

// pathOK accepts the configured path with or without surrounding slashes.
func (s *session) pathOK(p string) bool {
	return strings.Trim(p, "/") == strings.Trim(s.cam.opts.Path, "/")
}

// authorize returns the response refusing the request, or nil to go on.
func (s *session) authorize(conn *gortsplib.ServerConn, req *base.Request, path string) (*base.Response, error) {
	o := s.cam.opts
	if o.User != "" {
		if !conn.VerifyCredentials(req, o.User, o.Pass) {
			return &base.Response{StatusCode: base.StatusUnauthorized}, liberrors.ErrServerAuth{}
		}
	}
	if !s.pathOK(path) {
		return &base.Response{StatusCode: base.StatusNotFound}, fmt.Errorf("no stream at %q", path)
	}
	return nil, nil
}
