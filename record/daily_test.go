package record

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/testcam"
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
		})
	}
}
