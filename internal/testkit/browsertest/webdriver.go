package browsertest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// webkitPage is one WebKitWebDriver, its one session and its MiniBrowser,
// driven over classic W3C WebDriver (HTTP).
type webkitPage struct {
	base    string // the driver's URL
	session string // "/session/ID"
	driver  *exec.Cmd
	exited  chan struct{}
	stderr  *syncBuffer
	// chrome is what the window has around the page (its toolbar): the
	// window is the viewport plus chrome.
	chrome Viewport
}

// startDriver starts a WebKitWebDriver on a free loopback port and returns
// once that port's listener is the driver's own. A port found free can be
// taken by another process before the driver binds it; the driver then
// exits ("Unable to listen") and another port is tried.
func startDriver(ctx context.Context, env []string) (*webkitPage, error) {
	for try := 0; ; try++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		p := &webkitPage{base: "http://127.0.0.1:" + strconv.Itoa(port), stderr: &syncBuffer{}, exited: make(chan struct{})}
		p.driver = exec.Command("WebKitWebDriver", "--port="+strconv.Itoa(port), "--host=127.0.0.1")
		p.driver.Env = env
		p.driver.Stderr = p.stderr
		p.driver.Stdout = p.stderr
		if err := startChild(p.driver); err != nil {
			return nil, err
		}
		go func() { p.driver.Wait(); close(p.exited) }()
		listening, err := p.waitListening(ctx, port)
		if listening {
			return p, nil
		}
		if err == nil && try < 5 && strings.Contains(p.stderr.String(), "Unable to listen") {
			continue
		}
		if err == nil {
			err = fmt.Errorf("WebKitWebDriver exited: %s", lastLines(p.stderr.String(), 5))
		}
		return nil, err
	}
}

// waitListening waits until the driver listens on port (true), exits
// (false, nil) or ctx ends.
func (p *webkitPage) waitListening(ctx context.Context, port int) (bool, error) {
	for {
		if listenerOwnedBy(p.driver.Process.Pid, port) {
			return true, nil
		}
		select {
		case <-p.exited:
			return false, nil
		case <-ctx.Done():
			p.driver.Process.Kill()
			return false, fmt.Errorf("WebKitWebDriver did not listen: %w %s", ctx.Err(), lastLines(p.stderr.String(), 5))
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// listenerOwnedBy: process pid holds the socket listening on
// 127.0.0.1:port (/proc/net/tcp names the socket's inode, /proc/PID/fd
// the sockets the process holds).
func listenerOwnedBy(pid, port int) bool {
	f, err := os.Open("/proc/net/tcp")
	if err != nil {
		return false
	}
	defer f.Close()
	local := fmt.Sprintf("0100007F:%04X", port)
	inode := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
		fields := strings.Fields(sc.Text())
		if len(fields) > 9 && fields[1] == local && fields[3] == "0A" {
			inode = fields[9]
		}
	}
	if inode == "" {
		return false
	}
	fds, _ := filepath.Glob(fmt.Sprintf("/proc/%d/fd/*", pid))
	for _, fd := range fds {
		if target, err := os.Readlink(fd); err == nil && target == "socket:["+inode+"]" {
			return true
		}
	}
	return false
}

// do makes one W3C WebDriver request and decodes the reply's "value".
func (p *webkitPage) do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, p.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var reply struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&reply); err != nil {
		return fmt.Errorf("%s %s: %s: %w", method, path, resp.Status, err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		json.Unmarshal(reply.Value, &e)
		return fmt.Errorf("%s %s: %s: %s", method, path, e.Error, e.Message)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(reply.Value, out)
}

func (p *webkitPage) navigate(ctx context.Context, url string) error {
	return p.do(ctx, "POST", p.session+"/url", map[string]any{"url": url}, nil)
}

// evalString: a returned promise is awaited by WebDriver itself.
func (p *webkitPage) evalString(ctx context.Context, js string) (string, error) {
	var s string
	err := p.do(ctx, "POST", p.session+"/execute/sync", map[string]any{"script": "return " + js + ";", "args": []any{}}, &s)
	return s, err
}

func (p *webkitPage) screenshot(ctx context.Context) ([]byte, error) {
	var data string
	if err := p.do(ctx, "GET", p.session+"/screenshot", nil, &data); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(data)
}

// windowState is what the page knows of its window.
type windowState struct {
	Inner, Outer Viewport
}

func (p *webkitPage) windowState(ctx context.Context) (windowState, error) {
	var s windowState
	js := `Promise.resolve(JSON.stringify({Inner: {Width: innerWidth, Height: innerHeight}, Outer: {Width: outerWidth, Height: outerHeight}}))`
	raw, err := p.evalString(ctx, js)
	if err == nil {
		err = json.Unmarshal([]byte(raw), &s)
	}
	return s, err
}

// windowRect is the size of the window the driver reports.
func (p *webkitPage) windowRect(ctx context.Context, set *Viewport) (Viewport, error) {
	var r struct{ Width, Height int }
	var err error
	if set == nil {
		err = p.do(ctx, "GET", p.session+"/window/rect", nil, &r)
	} else {
		err = p.do(ctx, "POST", p.session+"/window/rect", map[string]any{"width": set.Width, "height": set.Height}, &r)
	}
	return Viewport{r.Width, r.Height}, err
}

// measureChrome reads the window's chrome once, on a new window that
// nothing has resized: the page's view of its window has caught up when
// its outer size is the window's.
func (p *webkitPage) measureChrome(ctx context.Context) error {
	rect, err := p.windowRect(ctx, nil)
	if err != nil {
		return err
	}
	s, err := p.waitWindow(ctx, func(s windowState) bool { return s.Outer == rect })
	if err != nil {
		return fmt.Errorf("new window %+v: %w", rect, err)
	}
	p.chrome = Viewport{s.Outer.Width - s.Inner.Width, s.Outer.Height - s.Inner.Height}
	if p.chrome.Width < 0 || p.chrome.Height < 0 || p.chrome.Height > 200 {
		return fmt.Errorf("window %+v around a %+v page: no sense of its toolbar", s.Outer, s.Inner)
	}
	return nil
}

// setViewport sizes the window to the viewport plus its chrome and waits
// until the page has that viewport (the web process learns the new size
// a moment after the window has it; how long is up to the machine's load).
func (p *webkitPage) setViewport(ctx context.Context, v Viewport) error {
	want := Viewport{v.Width + p.chrome.Width, v.Height + p.chrome.Height}
	got, err := p.windowRect(ctx, &want)
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("window took %+v, not %+v (for a %+v viewport)", got, want, v)
	}
	if _, err := p.waitWindow(ctx, func(s windowState) bool { return s.Inner == v && s.Outer == want }); err != nil {
		return fmt.Errorf("viewport %+v: %w", v, err)
	}
	return nil
}

// waitWindow polls the page's window state until ok (at most a minute).
func (p *webkitPage) waitWindow(ctx context.Context, ok func(windowState) bool) (windowState, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for {
		s, err := p.windowState(ctx)
		if err == nil && ok(s) {
			return s, nil
		}
		select {
		case <-ctx.Done():
			return s, fmt.Errorf("page sees %+v: %w (%v)", s, ctx.Err(), err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (p *webkitPage) close() {
	if p.session != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		p.do(ctx, "DELETE", p.session, nil, nil)
		cancel()
	}
	p.driver.Process.Kill()
	<-p.exited
}
