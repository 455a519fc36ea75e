package record

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/testcam"
	"github.com/camshare/camshare/internal/testkit/browsertest"
)

// copiedAudioPlays is what each engine does with a segment whose audio was
// copied from the camera (MP3, Opus), as measured by
// TestBrowserPlaysCopiedAudio: "sound" (picture moves, sound decoded),
// "silent" (picture moves, no sound) or "error" (the file does not play).
// README's audio section has the same table.
var copiedAudioPlays = map[string]map[browsertest.Engine]string{
	"h264_mp3":  {browsertest.Chromium: "sound", browsertest.Firefox: "sound", browsertest.WebKit: "sound"},
	"h264_opus": {browsertest.Chromium: "sound", browsertest.Firefox: "sound", browsertest.WebKit: "sound"},
	// The control: a segment without audio must read as silent, or the
	// check above could not tell (one engine is enough; it costs 8 s).
	"h264": {browsertest.Chromium: "silent"},
}

// TestBrowserPlaysCopiedAudio opens one 3 s segment recorded from an MP3
// and one from an Opus camera in every engine and asserts what the engine
// does with it (copiedAudioPlays), so a change in an engine fails here.
func TestBrowserPlaysCopiedAudio(t *testing.T) {
	// Both cameras record at once; the second segment is a whole one (the
	// first starts mid-window).
	recs := map[string]*recorder{}
	dirs := map[string]string{}
	for fixture := range copiedAudioPlays {
		cam := startCam(t, testcam.Options{Fixture: fixture})
		dirs[fixture] = t.TempDir()
		recs[fixture] = startRecorder(t, Options{URL: cam.URL(), Dir: dirs[fixture], Segment: 3 * time.Second, Scheme: utcScheme(t)})
	}
	names := map[string]string{}
	for fixture, r := range recs {
		waitFor(t, 60*time.Second, fixture+": two closed segments", func() bool { return len(r.segments()) >= 2 })
		if err := r.stop(t); err != nil {
			t.Fatal(err)
		}
		names[fixture] = r.segments()[1].Segment.Name
	}
	for fixture, want := range copiedAudioPlays {
		for _, e := range browsertest.Engines() {
			if want[e] == "" {
				continue
			}
			t.Run(fixture+"/"+string(e), func(t *testing.T) {
				got := playCopied(t, e, dirs[fixture], names[fixture])
				if got != want[e] {
					t.Errorf("%s in %s: %s, want %s", fixture, e, got, want[e])
				}
			})
		}
	}
}

// playCopied plays the segment in e for up to 8 s of playback and says
// what happened ("sound", "silent", "error").
func playCopied(t *testing.T, e browsertest.Engine, dir, name string) string {
	// loop: 3 s is shorter than WebKit's sound check may need to see
	// samples (see browsertest.AudioDecodedJS).
	url := browsertest.Serve(t, dir, `<!doctype html><video id=v src="`+name+`" autoplay loop playsinline></video>`)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p := browsertest.Open(ctx, t, e, url, browsertest.Options{})
	v := `document.getElementById("v")`
	poll := fmt.Sprintf(`({sound: %s, t: %s.currentTime, err: %s.error && %s.error.code})`, e.AudioDecodedJS(v), v, v, v)
	var played time.Duration // playback seen, across loops
	last := 0.0
	for start := time.Now(); time.Since(start) < 40*time.Second; time.Sleep(200 * time.Millisecond) {
		var s struct {
			Sound bool
			T     float64
			Err   *int
		}
		if err := p.Eval(ctx, poll, &s); err != nil {
			t.Fatalf("%s: %v", e, err)
		}
		if s.Err != nil {
			t.Logf("%s: %s: media error %d", e, name, *s.Err)
			return "error"
		}
		if s.T > last {
			played += secs(s.T - last)
		}
		last = s.T
		switch {
		case s.Sound && played > 1500*time.Millisecond:
			return "sound"
		case played > 8*time.Second:
			return "silent"
		}
	}
	t.Logf("%s: %s: played %v in 40 s", e, name, played)
	return "stalled"
}
