package record

import (
	"context"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/testcam"
	"github.com/camshare/camshare/internal/testkit/browsertest"
)

// TestBrowserPlaysG711Segment: a segment recorded from a G.711 camera plays
// in every browser engine, picture moving and sound decoded (its samples
// are not silence).
func TestBrowserPlaysG711Segment(t *testing.T) {
	cam := startCam(t, testcam.Options{Fixture: "h264_pcma"})
	dir := t.TempDir()
	r := startRecorder(t, Options{URL: cam.URL(), Dir: dir, Segment: 3 * time.Second, Scheme: utcScheme(t)})
	// The second segment is a whole one (the first starts mid-window).
	waitFor(t, 60*time.Second, "two closed segments", func() bool { return len(r.segments()) >= 2 })
	if err := r.stop(t); err != nil {
		t.Fatal(err)
	}
	seg := r.segments()[1].Segment
	// loop: 3 s is shorter than WebKit's sound check may need to see
	// samples (see browsertest.AudioDecodedJS).
	url := browsertest.Serve(t, dir, `<!doctype html><video id=v src="`+seg.Name+`" autoplay loop playsinline></video>`)
	for _, e := range browsertest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			b := browsertest.Open(ctx, t, e, url, browsertest.Options{})
			v := `document.getElementById("v")`
			// Sound first and on every poll (&, not &&).
			playing := `(` + e.AudioDecodedJS(v) + `) & (` + v + `.currentTime > 1.5)`
			state := `(() => { const v = document.getElementById("v"); return {state: v.readyState, err: v.error && v.error.message, t: v.currentTime}; })()`
			if err := b.WaitFor(ctx, playing, state, e.AudioDecodedJS(v)); err != nil {
				t.Fatalf("%s does not play with sound: %v", seg.Name, err)
			}
			var dur float64
			if err := b.Eval(ctx, v+".duration", &dur); err != nil || !within(secs(dur), seg.Duration, 200*time.Millisecond) {
				t.Errorf("browser sees duration %vs, segment is %v (%v)", dur, seg.Duration, err)
			}
			t.Logf("%s plays with sound in %s, duration %.2fs", seg.Name, e, dur)
		})
	}
}
