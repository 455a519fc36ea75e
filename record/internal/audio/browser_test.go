package audio

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/testkit/browsertest"
)

// TestBrowsersPlayTranscodedAudio: 8 kHz AAC-LC is unusual next to the
// 44.1/48 kHz of music, so check that every browser engine plays it: the
// transcoder's fMP4 (muxed by mediacommon, as the recorder does) plays with
// time advancing and audio decoded (in WebKit: its samples are not
// silence; see browsertest's package doc for what each engine proves).
func TestBrowsersPlayTranscodedAudio(t *testing.T) {
	tr, err := NewG711Transcoder(false)
	if err != nil {
		t.Fatal(err)
	}
	// 8 s: WebKit's sound check needs a few seconds of playback.
	const seconds = 8
	aus := transcodePackets(t, tr, ffmpegG711(t, "0.5*sin(2*PI*440*t)", seconds, false), 0)
	dir := filepath.Dir(writeMP4(t, tr, aus))
	url := browsertest.Serve(t, dir, `<!doctype html><audio id=a src="out.mp4" autoplay></audio>`)
	for _, e := range browsertest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			b := browsertest.Open(ctx, t, e, url, browsertest.Options{})
			a := `document.getElementById("a")`
			// Sound first and on every poll (&, not &&): see AudioDecodedJS.
			playing := `(` + e.AudioDecodedJS(a) + `) & (` + a + `.currentTime > 1)`
			state := `({t: ` + a + `.currentTime, state: ` + a + `.readyState, err: ` + a + `.error && ` + a + `.error.message})`
			if err := b.WaitFor(ctx, playing, state, e.AudioDecodedJS(a)); err != nil {
				t.Fatal(err)
			}
			var dur float64
			if err := b.Eval(ctx, a+`.duration`, &dur); err != nil || dur < seconds-0.1 || dur > seconds+0.5 {
				t.Fatalf("duration %v, %v; want about %d s", dur, err, seconds)
			}
		})
	}
}
