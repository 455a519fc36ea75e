package browsertest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
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

// WebKit is WebKitGTK's MiniBrowser started by WebKitWebDriver (package
// webkit2gtk-driver). It needs a display, so the kit runs one private Xvfb
// for the test binary. A WebKitWebDriver serves one session at a time, so
// every page gets its own driver (and MiniBrowser) on the shared display.
type webkit struct {
	display string // ":N"
	xvfb    *exec.Cmd
	exited  chan struct{} // closed when Xvfb is gone
	stderr  *syncBuffer
}

func startWebKit(ctx context.Context) (browser, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b := &webkit{stderr: &syncBuffer{}}
	// -displayfd: Xvfb picks a free display and writes its number when it
	// accepts connections (what xvfb-run -a does by trial).
	b.xvfb = exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1920x1080x24", "-nolisten", "tcp")
	b.xvfb.ExtraFiles = []*os.File{w}
	b.xvfb.Stderr = b.stderr
	err = startChild(b.xvfb)
	w.Close()
	if err != nil {
		return nil, err
	}
	b.exited = make(chan struct{})
	go func() { b.xvfb.Wait(); close(b.exited) }()
	got := make(chan string, 1)
	go func() {
		line := make([]byte, 16)
		n, _ := io.ReadAtLeast(r, line, 1)
		got <- strings.TrimSpace(string(line[:n]))
	}()
	select {
	case d := <-got:
		if d == "" {
			return nil, fmt.Errorf("Xvfb did not start: %s", lastLines(b.stderr.String(), 5))
		}
		b.display = ":" + d
	case <-time.After(30 * time.Second):
		b.xvfb.Process.Kill()
		return nil, errors.New("Xvfb did not start in 30 s")
	}
	return b, nil
}

func (b *webkit) alive() bool {
	select {
	case <-b.exited:
		return false
	default:
		return true
	}
}

// miniBrowser finds MiniBrowser (the folder is named for the API version).
func miniBrowser() (string, error) {
	m, _ := filepath.Glob("/usr/lib/*/webkit2gtk-4.*/MiniBrowser")
	if len(m) == 0 {
		return "", errors.New("no MiniBrowser under /usr/lib/*/webkit2gtk-4.*: install webkit2gtk-driver")
	}
	return m[len(m)-1], nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (b *webkit) newPage(ctx context.Context) (pageDriver, error) {
	bin, err := miniBrowser()
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	p := &webkitPage{base: "http://127.0.0.1:" + strconv.Itoa(port), stderr: &syncBuffer{}}
	p.driver = exec.Command("WebKitWebDriver", "--port="+strconv.Itoa(port), "--host=127.0.0.1")
	p.driver.Env = append(os.Environ(), "DISPLAY="+b.display)
	p.driver.Stderr = p.stderr
	p.driver.Stdout = p.stderr
	if err := startChild(p.driver); err != nil {
		return nil, err
	}
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"browserName":              "MiniBrowser",
		"webkitgtk:browserOptions": map[string]any{"binary": bin, "args": []string{"--automation"}},
	}}}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var s struct {
			SessionID string `json:"sessionId"`
		}
		err = p.do(ctx, "POST", "/session", caps, &s)
		if err == nil {
			p.session = "/session/" + s.SessionID
			break
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			p.close()
			return nil, fmt.Errorf("WebKitWebDriver: %v %s", err, lastLines(p.stderr.String(), 5))
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Long media waits are the caller's ctx's business, not the driver's.
	if err := p.do(ctx, "POST", p.session+"/timeouts", map[string]any{"script": 600000, "pageLoad": 600000}, nil); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

type webkitPage struct {
	base    string // the driver's URL
	session string // "/session/ID"
	driver  *exec.Cmd
	stderr  *syncBuffer
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

// setViewport sizes the window, then grows it by whatever the window's
// frame and toolbar take, so the page itself gets v.
func (p *webkitPage) setViewport(ctx context.Context, v Viewport) error {
	w, h := v.Width, v.Height
	for range 3 {
		if err := p.do(ctx, "POST", p.session+"/window/rect", map[string]any{"width": w, "height": h}, nil); err != nil {
			return err
		}
		// The window manager applies the size a moment later: read the
		// page's size once it has settled.
		inner, err := p.settledInnerSize(ctx)
		if err != nil {
			return err
		}
		if inner.W == v.Width && inner.H == v.Height {
			return nil
		}
		w += v.Width - inner.W
		h += v.Height - inner.H
	}
	return fmt.Errorf("window does not take a %dx%d viewport", v.Width, v.Height)
}

type innerSize struct{ W, H int }

// settledInnerSize is the page's size once two readings 100 ms apart agree
// (at most 2 s).
func (p *webkitPage) settledInnerSize(ctx context.Context) (innerSize, error) {
	var last innerSize
	for i := 0; i < 20; i++ {
		s, err := p.evalString(ctx, `Promise.resolve(JSON.stringify({W: window.innerWidth, H: window.innerHeight}))`)
		if err != nil {
			return last, err
		}
		var cur innerSize
		if err := json.Unmarshal([]byte(s), &cur); err != nil {
			return last, err
		}
		if i > 0 && cur == last {
			return cur, nil
		}
		last = cur
		time.Sleep(100 * time.Millisecond)
	}
	return last, nil
}

func (p *webkitPage) close() {
	if p.session != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		p.do(ctx, "DELETE", p.session, nil, nil)
		cancel()
	}
	p.driver.Process.Kill()
	p.driver.Wait()
}
