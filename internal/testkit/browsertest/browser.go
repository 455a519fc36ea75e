// Package browsertest drives real headless browsers, one per engine, for
// tests that must see what a person sees: a page that really plays video,
// not just loads. Chromium is driven over the DevTools Protocol, Firefox
// over WebDriver BiDi (both on the kit's one WebSocket client), WebKit
// (WebKitGTK's MiniBrowser, the engine of iPhone Safari) over classic W3C
// WebDriver on a private Xvfb.
//
//	for _, e := range browsertest.Engines() {
//		t.Run(string(e), func(t *testing.T) {
//			p := browsertest.Open(ctx, t, e, url, browsertest.Options{Viewport: browsertest.Phone})
//			err := p.WaitFor(ctx, `document.querySelector("video").currentTime > 1`)
//			err = p.WaitFor(ctx, e.AudioDecodedJS(`document.querySelector("video")`))
//			err = p.Screenshot(ctx, filepath.Join(t.ArtifactDir(), string(e)+".png"))
//		})
//	}
//
// Each engine's browser starts once per test binary, on first use, and is
// shared by every page after it; each page gets its own profile context
// (cookies, storage) and is closed when its test ends. In WebKit a page is
// its own MiniBrowser (a WebKitWebDriver serves one session), so opening
// one costs a browser start (5-15 s; a minute at load average 40, when
// Firefox's first start takes two).
//
// What each engine can prove here (the test machines have no sound
// device: Firefox plays to a private PulseAudio null sink the kit starts,
// WebKit to GStreamer's fakeaudiosink, headless Chromium to its own fake
// output; media may start with sound by itself in all three):
//   - Time advancing (currentTime, readyState, ended), errors
//     (error.code), duration, getVideoPlaybackQuality(): all three.
//   - Sound decoded (AudioDecodedJS): all three, the same way: the decoded
//     samples are read through a Web Audio analyser, so true means the
//     sound is not silence. The engines' own counters prove less or
//     nothing: Chromium's webkitAudioDecodedByteCount counts bytes (also
//     of silence), Firefox's mozHasAudio (video elements only) says only
//     that there is an audio track, WebKitGTK has no counter at all.
//     Without the kit's sound server Firefox fails audio-only media
//     ("OnMediaSinkAudioError") and its AudioContext stays "suspended".
//   - audioTracks.length (the container's audio tracks): WebKit only;
//     Chromium and Firefox hide audioTracks behind a flag.
//   - MediaSource: all three. WebKit (GStreamer) needs
//     gstreamer1.0-plugins-bad (h264parse) for H.264 in MediaSource, and
//     stays at readyState 1 when the buffered range starts after 0, as it
//     does for H.264 with B-frames (first picture at 0.2 s with ffmpeg's
//     defaults): it waits until currentTime is moved into the buffered
//     range (a page can seek to buffered.start(0)). IP cameras rarely send
//     B-frames.
//   - Screenshots are of the viewport in all three; viewports are exact
//     (WebKit: the window is sized to the viewport plus its toolbar, and
//     SetViewport returns once the page reports the new size).
package browsertest

import (
	"bytes"
	"context"
	"fmt"
	"sync"
)

// Engine names one browser engine.
type Engine string

const (
	Chromium Engine = "chromium"
	Firefox  Engine = "firefox"
	WebKit   Engine = "webkit"
)

// Engines are all the engines a page must work in.
func Engines() []Engine { return []Engine{Chromium, Firefox, WebKit} }

// Viewport is the size of the page's visible area in CSS pixels.
type Viewport struct{ Width, Height int }

var (
	Phone   = Viewport{412, 915}  // a common Android phone
	Desktop = Viewport{1280, 800} // a laptop
)

// Options for a new page.
type Options struct {
	Viewport Viewport // Phone when zero
}

// browser is one running engine that opens pages.
type browser interface {
	newPage(ctx context.Context) (pageDriver, error)
	alive() bool
}

var (
	sharedMu sync.Mutex
	shared   = map[Engine]browser{}
	starters = map[Engine]func(context.Context) (browser, error){
		Chromium: startChromium,
		Firefox:  startFirefox,
		WebKit:   startWebKit,
	}
)

// sharedBrowser returns the engine's running browser, starting it (again,
// if it died) when needed.
func sharedBrowser(ctx context.Context, e Engine) (browser, error) {
	start, ok := starters[e]
	if !ok {
		return nil, fmt.Errorf("unknown browser engine %q", e)
	}
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if b := shared[e]; b != nil && b.alive() {
		return b, nil
	}
	b, err := start(ctx)
	if err != nil {
		return nil, err
	}
	shared[e] = b
	return b, nil
}

// syncBuffer collects a child's stderr for error messages.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.b.Len() > 1<<20 {
		s.b.Reset()
	}
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
