package browsertest

import (
	"context"
	"errors"
	"fmt"
	"io"
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
	env     []string
	exited  chan struct{} // closed when Xvfb is gone
	stderr  *syncBuffer
}

// gtkCSS shrinks MiniBrowser's toolbar: its buttons and address field
// otherwise hold the window at least 447 px wide, wider than a phone.
const gtkCSS = `* { min-width: 0; min-height: 0; margin: 0; padding: 0; border-width: 0; font-size: 1px; }
`

func startWebKit(ctx context.Context) (browser, error) {
	dir, err := profileDir(WebKit)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(dir, "gtk-3.0"), 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "gtk-3.0", "gtk.css"), []byte(gtkCSS), 0o644); err != nil {
		return nil, err
	}
	b := &webkit{stderr: &syncBuffer{}, exited: make(chan struct{})}
	if b.display, err = startXvfb(ctx, b.stderr, b.exited); err != nil {
		return nil, err
	}
	b.env = webkitEnv(b.display, dir)
	return b, nil
}

// startXvfb starts a private X server and returns its display once it
// accepts connections. -displayfd: Xvfb picks a free display number and
// writes it, then a newline, to the fd, then closes it. The pipe must stay
// open until that close: Xvfb makes two writes and exits ("Cannot write
// display number") if the reader is gone after the first, which is how
// MiniBrowser came to find no display. -noreset: the server keeps running
// unchanged when its last client (one page's browser) disconnects.
func startXvfb(ctx context.Context, stderr *syncBuffer, exited chan struct{}) (string, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return "", err
	}
	defer r.Close()
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-noreset", "-nolisten", "tcp", "-screen", "0", "1920x1080x24")
	cmd.ExtraFiles = []*os.File{w}
	cmd.Stderr = stderr
	err = startChild(cmd)
	w.Close() // Xvfb holds the only write end now: EOF comes when it closes it
	if err != nil {
		return "", err
	}
	go func() { cmd.Wait(); close(exited) }()
	got := make(chan string, 1)
	go func() {
		all, _ := io.ReadAll(r)
		got <- strings.TrimSpace(string(all))
	}()
	select {
	case d := <-got:
		if _, err := strconv.Atoi(d); err != nil {
			cmd.Process.Kill()
			return "", fmt.Errorf("Xvfb did not start (display %q): %s", d, lastLines(stderr.String(), 5))
		}
		return ":" + d, nil
	case <-ctx.Done():
		cmd.Process.Kill()
		return "", fmt.Errorf("Xvfb did not start: %w", ctx.Err())
	case <-time.After(startTimeout):
		cmd.Process.Kill()
		return "", fmt.Errorf("Xvfb did not start in %v", startTimeout)
	}
}

// webkitEnv is the driver's environment, which MiniBrowser and its web
// process inherit: the private display and nothing else that says where
// to draw, the toolbar CSS, and a sound output that works without a sound
// device. GStreamer's autoaudiosink otherwise tries PulseAudio first, and
// its "Connection refused" reaches MediaSource playback as a fatal error;
// fakeaudiosink (gstreamer1.0-plugins-bad) consumes decoded audio at the
// real-time pace of a sound card.
func webkitEnv(display, configDir string) []string {
	env := withoutEnv("DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY", "GDK_BACKEND", "XDG_CONFIG_HOME", "GST_PLUGIN_FEATURE_RANK", "LC_ALL")
	return append(env, "DISPLAY="+display, "GDK_BACKEND=x11", "XDG_CONFIG_HOME="+configDir,
		"GST_PLUGIN_FEATURE_RANK=fakeaudiosink:max", "LC_ALL="+webkitLocale)
}

// webkitLocale makes navigator.language "en-US", as in the other two
// engines. WebKitGTK takes it from the C locale, and a test machine's
// C.UTF-8 makes it "C", which no browser says and Intl refuses
// ("RangeError: invalid language tag: C"); where en_US.UTF-8 is not
// installed the locale stays plain "C", which WebKit reads as en-US.
const webkitLocale = "en_US.UTF-8"

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

func (b *webkit) newPage(ctx context.Context) (pageDriver, error) {
	bin, err := miniBrowser()
	if err != nil {
		return nil, err
	}
	p, err := startDriver(ctx, b.env)
	if err != nil {
		return nil, err
	}
	// --display as well as DISPLAY: the window's display is named on the
	// command line, not left to what the driver passes on. Media may start
	// with sound by itself (no user gesture in a test).
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"browserName": "MiniBrowser",
		"webkitgtk:browserOptions": map[string]any{"binary": bin,
			"args": []string{"--automation", "--display=" + b.display, "--autoplay-policy=allow"}},
	}}}
	var s struct {
		SessionID string `json:"sessionId"`
	}
	if err := p.do(ctx, "POST", "/session", caps, &s); err != nil {
		p.close()
		return nil, fmt.Errorf("WebKit session: %v (Xvfb alive: %v) %s", err, b.alive(), lastLines(p.stderr.String(), 5))
	}
	p.session = "/session/" + s.SessionID
	// Long media waits are the caller's ctx's business, not the driver's.
	if err := p.do(ctx, "POST", p.session+"/timeouts", map[string]any{"script": 600000, "pageLoad": 600000}, nil); err != nil {
		p.close()
		return nil, err
	}
	if err := p.measureChrome(ctx); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}
