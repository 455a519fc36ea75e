package record

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/testcam"
	"github.com/camshare/camshare/internal/testkit/browsertest"
)

// A recording across midnight (the recorder's wall clock shifted so the
// scheme's midnight comes a few seconds in) closes that day's timelapse:
// one picture per slot of TimelapseEvery that had a key frame, at 30 fps,
// every frame decoding; the next day's temp file is open beside it, and
// neither is a segment.
func TestDailyTimelapseAcrossMidnight(t *testing.T) {
	for _, fx := range []string{"h264_pcma", "h265_pcma"} {
		t.Run(fx, func(t *testing.T) {
			t.Parallel()
			cam := startCam(t, testcam.Options{Fixture: fx})
			dir := t.TempDir()
			s := utcScheme(t).Flat()
			now := time.Now().UTC()
			midnight := now.Truncate(24 * time.Hour).Add(24 * time.Hour)
			shift := midnight.Sub(now) - 12*time.Second
			every := time.Second
			o := Options{URL: cam.URL(), Dir: dir, Segment: 4 * time.Second, Scheme: s, NoActivity: true, TimelapseEvery: every}
			o.wallShift = shift
			r := startRecorder(t, o)
			day := midnight.Add(-24 * time.Hour)
			closed := filepath.Join(dir, s.TimelapseLocal(day))
			waitFor(t, 60*time.Second, "the day's closed timelapse", func() bool { _, err := os.Stat(closed); return err == nil })
			next := filepath.Join(dir, s.TempName(s.TimelapseLocal(midnight)))
			waitFor(t, 10*time.Second, "the next day's temp timelapse", func() bool { _, err := os.Stat(next); return err == nil })
			if err := r.stop(t); err != nil {
				t.Fatal(err)
			}
			// What to expect: the slots of the day's key frames, from
			// ffprobe of the day's segments and their exact start times.
			slots := map[int64]bool{}
			for _, ev := range r.segments() {
				info := ev.Segment
				for _, pts := range keyTimes(t, info.Path) {
					at := info.Start.Add(pts)
					if at.Before(midnight) {
						slots[int64(at.Sub(day)/every)] = true
					}
				}
			}
			want := len(slots)
			decodes(t, closed)
			v := probeVideo(t, closed)
			t.Logf("%s: %d pictures (%d key) at %s; %d slots with a key frame", filepath.Base(closed), v.Frames, v.Keys, v.Rate, want)
			if v.Frames != want || v.Keys != want || v.Rate != "30/1" || want < 4 {
				t.Errorf("ffprobe: %d frames (%d key) at %s; want %d (≥ 4) at 30/1", v.Frames, v.Keys, v.Rate, want)
			}
			if _, ok := s.Time(filepath.Base(closed)); ok {
				t.Errorf("%s reads as a segment name", filepath.Base(closed))
			}
			if _, ok := s.FromTemp(filepath.Base(next)); ok {
				t.Errorf("%s reads as a segment's temp name", filepath.Base(next))
			}
			if fx == "h264_pcma" { // Debian's Chromium has no H.265
				chromiumPlays(t, dir, filepath.Base(closed), want)
			}
		})
	}
}

// chromiumPlays: the timelapse plays to its end in Chromium, every picture
// at 30 fps (its duration is frames/30), the camera's size, no error.
func chromiumPlays(t *testing.T, dir, name string, frames int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	url := browsertest.Serve(t, dir, `<!doctype html><video id=v src="`+name+`" muted autoplay playsinline></video>`)
	b := browsertest.Open(ctx, t, browsertest.Chromium, url, browsertest.Options{})
	v := `document.getElementById("v")`
	state := `(() => { const v = document.getElementById("v"); return {state: v.readyState, err: v.error && v.error.message, t: v.currentTime, w: v.videoWidth}; })()`
	if err := b.WaitFor(ctx, v+`.ended && !`+v+`.error && `+v+`.videoWidth === 640`, state); err != nil {
		t.Fatalf("Chromium does not play %s to its end: %v", name, err)
	}
	var dur float64
	if err := b.Eval(ctx, v+".duration", &dur); err != nil || math.Abs(dur-float64(frames)/30) > 1.0/30 {
		t.Errorf("Chromium sees %s last %vs (%v); want %d frames at 30 fps, %s", name, dur, err, frames, fmt.Sprintf("%.3fs", float64(frames)/30))
	}
}
