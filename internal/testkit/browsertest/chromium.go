package browsertest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// ChromiumBinary is the Chromium executable (Debian's package installs it here).
var ChromiumBinary = "/usr/bin/chromium"

// chromium is one headless Chromium; each page is a target in its own
// browser context, driven over its own DevTools WebSocket.
type chromium struct {
	port   string
	conn   *rpcConn // the browser-level socket
	stderr *syncBuffer
}

func startChromium(ctx context.Context) (browser, error) {
	dir, err := profileDir(Chromium)
	if err != nil {
		return nil, err
	}
	b := &chromium{stderr: &syncBuffer{}}
	// Flags: no sandbox (tests run as root), no background networking (the
	// machine has no internet; Chromium would hammer closed ports), audio
	// and video allowed to start by themselves (no user gesture in a test).
	cmd := exec.Command(ChromiumBinary,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-default-apps", "--disable-extensions", "--no-default-browser-check",
		"--autoplay-policy=no-user-gesture-required",
		"--remote-debugging-port=0", "--remote-allow-origins=*",
		"--user-data-dir="+dir, "about:blank")
	cmd.Stderr = b.stderr
	if err := startChild(cmd); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(startTimeout)
	for b.conn == nil {
		if time.Now().After(deadline) || ctx.Err() != nil {
			cmd.Process.Kill()
			return nil, fmt.Errorf("chromium did not start: %s", lastLines(b.stderr.String(), 5))
		}
		time.Sleep(50 * time.Millisecond)
		// DevToolsActivePort: the port, then the browser socket's path.
		raw, err := os.ReadFile(filepath.Join(dir, "DevToolsActivePort"))
		lines := strings.Split(string(raw), "\n")
		if err != nil || len(lines) < 2 || lines[1] == "" {
			continue
		}
		b.port = lines[0]
		if b.conn, err = dialRPC("chromium", "ws://127.0.0.1:"+b.port+lines[1]); err != nil {
			cmd.Process.Kill()
			return nil, err
		}
	}
	return b, nil
}

func (b *chromium) alive() bool { return b.conn.alive() }

func (b *chromium) newPage(ctx context.Context) (pageDriver, error) {
	var bc struct {
		ID string `json:"browserContextId"`
	}
	if err := decodeCall(ctx, b.conn, "Target.createBrowserContext", nil, &bc); err != nil {
		return nil, err
	}
	var tg struct {
		ID string `json:"targetId"`
	}
	p := &chromiumPage{b: b, contextID: bc.ID}
	if err := decodeCall(ctx, b.conn, "Target.createTarget", map[string]any{"url": "about:blank", "browserContextId": bc.ID}, &tg); err != nil {
		p.close()
		return nil, err
	}
	var err error
	if p.conn, err = dialRPC("chromium", "ws://127.0.0.1:"+b.port+"/devtools/page/"+tg.ID); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

type chromiumPage struct {
	b         *chromium
	contextID string
	conn      *rpcConn
}

func decodeCall(ctx context.Context, c *rpcConn, method string, params, out any) error {
	raw, err := c.call(ctx, method, params)
	if err != nil || out == nil {
		return err
	}
	return json.Unmarshal(raw, out)
}

func (p *chromiumPage) navigate(ctx context.Context, url string) error {
	var res struct {
		ErrorText string `json:"errorText"`
	}
	if err := decodeCall(ctx, p.conn, "Page.navigate", map[string]any{"url": url}, &res); err != nil {
		return err
	}
	if res.ErrorText != "" {
		return errors.New(res.ErrorText)
	}
	// Page.navigate answers once the new document is committed; wait for
	// its load event like the other engines do.
	for {
		s, err := p.evalString(ctx, `Promise.resolve(document.readyState)`)
		if err == nil && s == "complete" {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("loading %s: %w", url, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (p *chromiumPage) evalString(ctx context.Context, js string) (string, error) {
	var res struct {
		Result struct {
			Value string `json:"value"`
		} `json:"result"`
		Exception *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	err := decodeCall(ctx, p.conn, "Runtime.evaluate", map[string]any{
		"expression": js, "returnByValue": true, "awaitPromise": true,
	}, &res)
	if err != nil {
		return "", err
	}
	if res.Exception != nil {
		return "", fmt.Errorf("%s %s", res.Exception.Text, res.Exception.Exception.Description)
	}
	return res.Result.Value, nil
}

func (p *chromiumPage) screenshot(ctx context.Context) ([]byte, error) {
	var res struct {
		Data string `json:"data"`
	}
	if err := decodeCall(ctx, p.conn, "Page.captureScreenshot", map[string]any{"format": "png"}, &res); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(res.Data)
}

func (p *chromiumPage) setViewport(ctx context.Context, v Viewport) error {
	return decodeCall(ctx, p.conn, "Emulation.setDeviceMetricsOverride", map[string]any{
		"width": v.Width, "height": v.Height, "deviceScaleFactor": 1, "mobile": false,
	}, nil)
}

func (p *chromiumPage) close() {
	if p.conn != nil {
		p.conn.close()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Disposing of the context closes its page.
	p.b.conn.call(ctx, "Target.disposeBrowserContext", map[string]any{"browserContextId": p.contextID})
}

// CDP sends one raw DevTools command to the page (Chromium only), for what
// the kit does not wrap, e.g. Network.emulateNetworkConditions.
func (p *Page) CDP(ctx context.Context, method string, params any) (json.RawMessage, error) {
	cp, ok := p.d.(*chromiumPage)
	if !ok {
		return nil, fmt.Errorf("%s: CDP is Chromium's protocol", p.Engine)
	}
	return cp.conn.call(ctx, method, params)
}
