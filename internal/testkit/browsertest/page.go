package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// pageDriver is what each engine's protocol must do for a Page.
type pageDriver interface {
	navigate(ctx context.Context, url string) error
	// evalString evaluates js, an expression whose value is a promise of a
	// string, and returns that string.
	evalString(ctx context.Context, js string) (string, error)
	screenshot(ctx context.Context) ([]byte, error)
	setViewport(ctx context.Context, v Viewport) error
	close()
}

// Page is one page open in one engine.
type Page struct {
	Engine Engine
	d      pageDriver
	once   sync.Once
}

// Browser is the old name of Page, from when the kit only drove Chromium.
type Browser = Page

// New opens url in a new page of engine e, sized o.Viewport. The caller
// closes it.
func New(ctx context.Context, e Engine, url string, o Options) (*Page, error) {
	b, err := sharedBrowser(ctx, e)
	if err != nil {
		return nil, err
	}
	d, err := b.newPage(ctx)
	if err != nil {
		return nil, err
	}
	p := &Page{Engine: e, d: d}
	v := o.Viewport
	if v == (Viewport{}) {
		v = Phone
	}
	if err := p.SetViewport(ctx, v); err != nil {
		p.Close()
		return nil, err
	}
	if err := p.Navigate(ctx, url); err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

// Open is New for a test: it fails the test on error and closes the page
// when the test ends.
func Open(ctx context.Context, t testing.TB, e Engine, url string, o Options) *Page {
	t.Helper()
	p, err := New(ctx, e, url, o)
	if err != nil {
		t.Fatalf("%s: open %s: %v", e, url, err)
	}
	t.Cleanup(p.Close)
	return p
}

// Start opens url in Chromium at phone size; the caller closes it. (The
// kit's first API; new tests use Open with an engine.)
func Start(ctx context.Context, url string) (*Browser, error) {
	return New(ctx, Chromium, url, Options{})
}

// Serve writes html as dir/index.html, serves dir over HTTP on 127.0.0.1
// (media next to the page load as a browser loads them from a web server)
// until the test ends, and returns the page's URL.
func Serve(t testing.TB, dir, html string) string {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	return srv.URL + "/index.html"
}

// OpenPage serves html from dir (see Serve) and opens it in Chromium.
func OpenPage(ctx context.Context, t testing.TB, dir, html string) *Browser {
	t.Helper()
	return Open(ctx, t, Chromium, Serve(t, dir, html), Options{})
}

// Navigate loads url in the page and waits for its load event.
func (p *Page) Navigate(ctx context.Context, url string) error {
	return p.d.navigate(ctx, url)
}

// SetViewport resizes the page's visible area.
func (p *Page) SetViewport(ctx context.Context, v Viewport) error {
	return p.d.setViewport(ctx, v)
}

// Eval evaluates a JavaScript expression in the page (promises are awaited)
// and decodes its JSON value into out (nil to ignore it). The value goes
// through JSON.stringify in the page, so every engine gives the same Go
// value.
func (p *Page) Eval(ctx context.Context, expr string, out any) error {
	js := "(async () => { const v = await (\n" + expr + "\n); return JSON.stringify(v) ?? \"null\"; })()"
	s, err := p.d.evalString(ctx, js)
	if err != nil {
		return fmt.Errorf("%s: js %q: %w", p.Engine, expr, err)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal([]byte(s), out)
}

// WaitFor polls a JavaScript expression until it is true, or ctx ends. The
// error then includes diag's values (e.g. the video's state) to explain why.
func (p *Page) WaitFor(ctx context.Context, expr string, diag ...string) error {
	for {
		var ok bool
		err := p.Eval(ctx, "!!("+expr+")", &ok)
		if err == nil && ok {
			return nil
		}
		select {
		case <-ctx.Done():
			why := ""
			for _, d := range diag {
				var v any
				dctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				if derr := p.Eval(dctx, d, &v); derr == nil {
					why += fmt.Sprintf(" (%s = %v)", d, v)
				}
				cancel()
			}
			if err != nil {
				why += " last error: " + err.Error()
			}
			return fmt.Errorf("%s: waiting for %s: %w%s", p.Engine, expr, ctx.Err(), why)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Screenshot saves the page's viewport as a PNG.
func (p *Page) Screenshot(ctx context.Context, path string) error {
	png, err := p.d.screenshot(ctx)
	if err != nil {
		return fmt.Errorf("%s: screenshot: %w", p.Engine, err)
	}
	if len(png) < 8 || string(png[1:4]) != "PNG" {
		return errors.New(string(p.Engine) + ": screenshot is not a PNG")
	}
	return os.WriteFile(path, png, 0o644)
}

// Close closes the page (its browser stays up for the next page).
func (p *Page) Close() {
	p.once.Do(p.d.close)
}

// AudioDecodedJS is a JavaScript expression, true once media's decoded
// sound is not silence (media is an expression for an <audio> or <video>
// element; same origin as the page, or its samples read as silence). The
// samples themselves are read, the same way in every engine: its first
// evaluation routes the element's sound through a Web Audio analyser
// (which keeps the last 0.7 s of samples; the page must not route that
// element through Web Audio itself), and every evaluation keeps the
// loudest sample seen. Poll it from the start of playback and on every
// poll, also when waiting for something else with it (an array or &, not
// &&): the analyser sees samples only after up to 3 s of playback (in
// WebKit), and once the media has ended there is only silence to see.
func (e Engine) AudioDecodedJS(media string) string {
	return strings.Replace(soundTapJS, "MEDIA", media, 1)
}

const soundTapJS = `((m) => {
	let t = m.__camshareSoundTap;
	if (!t) {
		const ctx = new AudioContext();
		const an = ctx.createAnalyser();
		an.fftSize = 32768;
		ctx.createMediaElementSource(m).connect(an);
		an.connect(ctx.destination);
		t = m.__camshareSoundTap = {ctx, an, buf: new Float32Array(an.fftSize), peak: 0};
	}
	if (t.ctx.state === "suspended") t.ctx.resume();
	t.an.getFloatTimeDomainData(t.buf);
	for (const x of t.buf) t.peak = Math.max(t.peak, Math.abs(x));
	return t.peak > 1e-4;
})(MEDIA)`
