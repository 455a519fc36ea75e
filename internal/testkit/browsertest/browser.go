// Package browsertest drives Debian's headless Chromium for tests that must
// see what a person sees: a page that really plays video, not just loads.
// It speaks just enough of the Chrome DevTools Protocol (over a WebSocket)
// to evaluate JavaScript, wait for a condition and take a screenshot.
//
//	b, err := browsertest.Start(ctx, url)
//	defer b.Close()
//	err = b.WaitFor(ctx, `document.querySelector("video").currentTime > 1`)
//	var n int
//	err = b.Eval(ctx, `document.querySelector("video").webkitAudioDecodedByteCount`, &n)
//	err = b.Screenshot(ctx, "page.png")
package browsertest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/websocket"
)

// Binary is the Chromium executable (Debian's package installs it here).
var Binary = "/usr/bin/chromium"

// Browser is one headless Chromium showing one page.
type Browser struct {
	cmd     *exec.Cmd
	dataDir string
	ws      *websocket.Conn
	stderr  *strings.Builder

	mu      sync.Mutex
	nextID  int
	pending map[int]chan reply
	closed  bool
}

type reply struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// Start launches Chromium on url with autoplay allowed (no user gesture in
// a test) and connects to the page.
func Start(ctx context.Context, url string) (*Browser, error) {
	dataDir, err := os.MkdirTemp("", "camshare-chromium-")
	if err != nil {
		return nil, err
	}
	b := &Browser{dataDir: dataDir, pending: map[int]chan reply{}, stderr: &strings.Builder{}}
	// Flags: no sandbox (tests run as root), no background networking (the
	// machine has no internet; Chromium would hammer closed ports), audio
	// and video allowed to start by themselves.
	b.cmd = exec.Command(Binary,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-default-apps", "--disable-extensions", "--no-default-browser-check",
		"--autoplay-policy=no-user-gesture-required",
		"--remote-debugging-port=0", "--remote-allow-origins=*",
		"--window-size=412,915", // a phone screen: the pages are for phones
		"--user-data-dir="+dataDir, url)
	b.cmd.Stderr = b.stderr
	if err := b.cmd.Start(); err != nil {
		os.RemoveAll(dataDir)
		return nil, fmt.Errorf("start %s: %w", Binary, err)
	}
	wsURL, err := b.pageSocket(ctx)
	if err != nil {
		b.Close()
		return nil, err
	}
	cfg, err := websocket.NewConfig(wsURL, "http://127.0.0.1/")
	if err != nil {
		b.Close()
		return nil, err
	}
	if b.ws, err = websocket.DialConfig(cfg); err != nil {
		b.Close()
		return nil, fmt.Errorf("connect to chromium: %w", err)
	}
	b.ws.MaxPayloadBytes = 64 << 20 // screenshots
	go b.readLoop()
	return b, nil
}

// pageSocket waits for Chromium to write its DevTools port, then finds the
// page target's WebSocket.
func (b *Browser) pageSocket(ctx context.Context) (string, error) {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		raw, err := os.ReadFile(filepath.Join(b.dataDir, "DevToolsActivePort"))
		if err == nil {
			port := strings.SplitN(string(raw), "\n", 2)[0]
			if ws, err := findPage(port); err == nil {
				return ws, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return "", fmt.Errorf("chromium did not start: %s", lastLines(b.stderr.String(), 5))
}

func findPage(port string) (string, error) {
	resp, err := http.Get("http://127.0.0.1:" + port + "/json/list")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var targets []struct {
		Type string `json:"type"`
		WS   string `json:"webSocketDebuggerUrl"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&targets); err != nil {
		return "", err
	}
	for _, t := range targets {
		if t.Type == "page" && t.WS != "" {
			return t.WS, nil
		}
	}
	return "", errors.New("no page target yet")
}

func (b *Browser) readLoop() {
	for {
		var msg struct {
			ID int `json:"id"`
			reply
		}
		if err := websocket.JSON.Receive(b.ws, &msg); err != nil {
			b.mu.Lock()
			b.closed = true
			for id, ch := range b.pending {
				close(ch)
				delete(b.pending, id)
			}
			b.mu.Unlock()
			return
		}
		if msg.ID == 0 {
			continue // an event; none subscribed
		}
		b.mu.Lock()
		ch := b.pending[msg.ID]
		delete(b.pending, msg.ID)
		b.mu.Unlock()
		if ch != nil {
			ch <- msg.reply
		}
	}
}

// call sends one DevTools command and waits for its result.
func (b *Browser) call(ctx context.Context, method string, params any) (json.RawMessage, error) {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil, errors.New("chromium connection closed")
	}
	b.nextID++
	id := b.nextID
	ch := make(chan reply, 1)
	b.pending[id] = ch
	b.mu.Unlock()
	msg := map[string]any{"id": id, "method": method, "params": params}
	if err := websocket.JSON.Send(b.ws, msg); err != nil {
		return nil, err
	}
	select {
	case r, ok := <-ch:
		if !ok {
			return nil, errors.New("chromium connection closed")
		}
		if r.Error != nil {
			return nil, fmt.Errorf("%s: %s", method, r.Error.Message)
		}
		return r.Result, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Eval evaluates a JavaScript expression in the page (promises are awaited)
// and decodes its JSON value into out (nil to ignore it).
func (b *Browser) Eval(ctx context.Context, expr string, out any) error {
	raw, err := b.call(ctx, "Runtime.evaluate", map[string]any{
		"expression": expr, "returnByValue": true, "awaitPromise": true,
	})
	if err != nil {
		return err
	}
	var res struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		Exception *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		return err
	}
	if res.Exception != nil {
		return fmt.Errorf("js %q: %s %s", expr, res.Exception.Text, res.Exception.Exception.Description)
	}
	if out == nil || len(res.Result.Value) == 0 {
		return nil
	}
	return json.Unmarshal(res.Result.Value, out)
}

// WaitFor polls a JavaScript expression until it is true, or ctx ends. The
// error then includes diag's value (e.g. the video's state) to explain why.
func (b *Browser) WaitFor(ctx context.Context, expr string, diag ...string) error {
	for {
		var ok bool
		err := b.Eval(ctx, "!!("+expr+")", &ok)
		if err == nil && ok {
			return nil
		}
		select {
		case <-ctx.Done():
			why := ""
			if len(diag) > 0 {
				var v any
				dctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				if derr := b.Eval(dctx, diag[0], &v); derr == nil {
					why = fmt.Sprintf(" (%s = %v)", diag[0], v)
				}
				cancel()
			}
			if err != nil {
				why += " last error: " + err.Error()
			}
			return fmt.Errorf("waiting for %s: %w%s", expr, ctx.Err(), why)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Screenshot saves the page as a PNG.
func (b *Browser) Screenshot(ctx context.Context, path string) error {
	raw, err := b.call(ctx, "Page.captureScreenshot", map[string]any{"format": "png"})
	if err != nil {
		return err
	}
	var res struct {
		Data string `json:"data"`
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		return err
	}
	png, err := base64.StdEncoding.DecodeString(res.Data)
	if err != nil {
		return err
	}
	return os.WriteFile(path, png, 0o644)
}

// Close stops Chromium and removes its profile.
func (b *Browser) Close() {
	if b.ws != nil {
		b.ws.Close()
	}
	if b.cmd != nil && b.cmd.Process != nil {
		b.cmd.Process.Kill()
		b.cmd.Wait()
	}
	os.RemoveAll(b.dataDir)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

// Call sends one raw DevTools command (e.g. Emulation.setDeviceMetricsOverride)
// and returns its JSON result.
func (b *Browser) Call(ctx context.Context, method string, params any) (json.RawMessage, error) {
	return b.call(ctx, method, params)
}
