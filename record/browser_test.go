package record

import (
	"context"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/testcam"
	"github.com/camshare/camshare/internal/testkit/browsertest"
)

// TestBrowserPlaysG711Segment: a segment recorded from a G.711 camera plays
// in real headless Chromium, picture moving and sound decoded.
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
	page := `<!doctype html><video id=v src="` + seg.Name + `" autoplay playsinline></video>`
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	b := browsertest.OpenPage(ctx, t, dir, page)
	v := `document.getElementById("v")`
	if err := b.WaitFor(ctx, v+".currentTime > 1.5", `(() => { const v = document.getElementById("v"); return {state: v.readyState, err: v.error && v.error.message, t: v.currentTime}; })()`); err != nil {
		t.Fatalf("%s does not play: %v", seg.Name, err)
	}
	var audio int
	if err := b.Eval(ctx, v+".webkitAudioDecodedByteCount", &audio); err != nil || audio <= 0 {
		t.Fatalf("%s: audio decoded bytes = %d (%v): no sound", seg.Name, audio, err)
	}
	var dur float64
	if err := b.Eval(ctx, v+".duration", &dur); err != nil || !within(secs(dur), seg.Duration, 200*time.Millisecond) {
		t.Errorf("browser sees duration %vs, segment is %v (%v)", dur, seg.Duration, err)
	}
	t.Logf("%s plays in Chromium: %d bytes of audio decoded, duration %.2fs", seg.Name, audio, dur)
}
