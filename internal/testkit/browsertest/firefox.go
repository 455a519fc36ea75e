package browsertest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// FirefoxBinary is Debian's Firefox ESR.
var FirefoxBinary = "/usr/bin/firefox-esr"

// firefoxPrefs: media may start by itself (no user gesture in a test) and
// in any window; nothing phones home (the machine has no internet).
const firefoxPrefs = `user_pref("media.autoplay.default", 0);
user_pref("media.autoplay.blocking_policy", 0);
user_pref("media.block-autoplay-until-in-foreground", false);
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);
user_pref("app.update.disabledForTesting", true);
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("browser.safebrowsing.update.enabled", false);
user_pref("app.normandy.enabled", false);
user_pref("messaging-system.rsexperimentloader.enabled", false);
`

// firefox is one headless Firefox with one WebDriver BiDi session; each
// page is a top-level window in its own user context.
type firefox struct {
	conn   *rpcConn
	stderr *syncBuffer
}

func startFirefox(ctx context.Context) (browser, error) {
	dir, err := profileDir(Firefox)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "user.js"), []byte(firefoxPrefs), 0o644); err != nil {
		return nil, err
	}
	sound, err := startSoundServer(ctx, filepath.Join(dir, "pulse"))
	if err != nil {
		return nil, err
	}
	b := &firefox{stderr: &syncBuffer{}}
	cmd := exec.Command(FirefoxBinary, "--headless", "--no-remote",
		"--remote-debugging-port=0", "--remote-allow-origins=http://127.0.0.1",
		"--profile", dir, "about:blank")
	cmd.Env = append(withoutEnv("PULSE_SERVER"), "PULSE_SERVER="+sound)
	cmd.Stderr = b.stderr
	cmd.Stdout = b.stderr
	if err := startChild(cmd); err != nil {
		return nil, err
	}
	fail := func(err error) (browser, error) {
		cmd.Process.Kill()
		return nil, err
	}
	// Firefox writes the port it chose to the profile once it listens.
	deadline := time.Now().Add(startTimeout)
	for b.conn == nil {
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fail(fmt.Errorf("firefox did not start: %s", lastLines(b.stderr.String(), 5)))
		}
		time.Sleep(100 * time.Millisecond)
		var server struct {
			Port int `json:"ws_port"`
		}
		raw, err := os.ReadFile(filepath.Join(dir, "WebDriverBiDiServer.json"))
		if err != nil || json.Unmarshal(raw, &server) != nil || server.Port == 0 {
			continue
		}
		if b.conn, err = dialRPC("firefox", fmt.Sprintf("ws://127.0.0.1:%d/session", server.Port)); err != nil {
			return fail(err)
		}
	}
	if _, err := b.conn.call(ctx, "session.new", map[string]any{"capabilities": map[string]any{}}); err != nil {
		return fail(err)
	}
	return b, nil
}

func (b *firefox) alive() bool { return b.conn.alive() }

func (b *firefox) newPage(ctx context.Context) (pageDriver, error) {
	var uc struct {
		ID string `json:"userContext"`
	}
	if err := decodeCall(ctx, b.conn, "browser.createUserContext", nil, &uc); err != nil {
		return nil, err
	}
	p := &firefoxPage{b: b, userContext: uc.ID}
	var bc struct {
		Context string `json:"context"`
	}
	// A window, not a tab: a background tab would be throttled.
	if err := decodeCall(ctx, b.conn, "browsingContext.create", map[string]any{"type": "window", "userContext": uc.ID}, &bc); err != nil {
		p.close()
		return nil, err
	}
	p.context = bc.Context
	return p, nil
}

type firefoxPage struct {
	b           *firefox
	userContext string
	context     string
}

func (p *firefoxPage) navigate(ctx context.Context, url string) error {
	return decodeCall(ctx, p.b.conn, "browsingContext.navigate", map[string]any{"context": p.context, "url": url, "wait": "complete"}, nil)
}

func (p *firefoxPage) evalString(ctx context.Context, js string) (string, error) {
	var res struct {
		Type   string `json:"type"`
		Result struct {
			Value string `json:"value"`
		} `json:"result"`
		Exception struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	err := decodeCall(ctx, p.b.conn, "script.evaluate", map[string]any{
		"expression": js, "target": map[string]any{"context": p.context},
		"awaitPromise": true, "resultOwnership": "none",
	}, &res)
	if err != nil {
		return "", err
	}
	if res.Type == "exception" {
		return "", fmt.Errorf("%s", res.Exception.Text)
	}
	return res.Result.Value, nil
}

func (p *firefoxPage) screenshot(ctx context.Context) ([]byte, error) {
	var res struct {
		Data string `json:"data"`
	}
	if err := decodeCall(ctx, p.b.conn, "browsingContext.captureScreenshot", map[string]any{"context": p.context}, &res); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(res.Data)
}

func (p *firefoxPage) setViewport(ctx context.Context, v Viewport) error {
	return decodeCall(ctx, p.b.conn, "browsingContext.setViewport", map[string]any{
		"context": p.context, "viewport": map[string]any{"width": v.Width, "height": v.Height}, "devicePixelRatio": 1,
	}, nil)
}

func (p *firefoxPage) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if p.context != "" {
		p.b.conn.call(ctx, "browsingContext.close", map[string]any{"context": p.context})
	}
	p.b.conn.call(ctx, "browser.removeUserContext", map[string]any{"userContext": p.userContext})
}
