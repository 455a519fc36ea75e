package share

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/testkit/browsertest"
	recorder "github.com/camshare/camshare/record"
)

// A day with a timelapse on the remote (ship puts YYYYMMDD/timelapse-CAMERA.mp4
// there after midnight) offers "The day in a minute": it plays the whole
// file, says so when it ends, and "Back to the recordings" plays on from
// the recording that was playing. The file is the one camshare builds from
// the day's key frames; sealed, the page decrypts it as it does a segment.
func TestPageDayInAMinute(t *testing.T) {
	t.Run("plain", func(t *testing.T) {
		allEngines(t, func(t *testing.T, e browsertest.Engine) { dayInAMinute(t, e, nil) })
	})
	t.Run("sealed", func(t *testing.T) {
		allEngines(t, func(t *testing.T, e browsertest.Engine) { dayInAMinute(t, e, archiveKey(t)) })
	})
}

func dayInAMinute(t *testing.T, e browsertest.Engine, key *keys.Archive) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	a := newPublicS3(t, ctx)
	day := time.Now().UTC().AddDate(0, 0, -2).Truncate(24 * time.Hour)
	var at []time.Time
	for i := range 40 { // two key frames each at one a second: 80 pictures, 2.7 s at 30 fps
		at = append(at, day.Add(10*time.Hour+time.Duration(i)*time.Minute))
	}
	segs := a.add(t, ctx, at...)
	lapse := buildLapse(t, ctx, a, day)
	if key != nil {
		lapse = sealed(t, lapse, key)
		for _, s := range segs { // the archive sealed, as ship --encrypt leaves it
			if err := put(ctx, a.f, s.Path, sealed(t, clip(t), key), "video/mp4"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := put(ctx, a.f, a.s.TimelapsePath(day, "garden"), lapse, "video/mp4"); err != nil {
		t.Fatal(err)
	}
	p, err := Publish(ctx, Options{Dest: a.f, Scheme: a.s, From: day, To: day.Add(24 * time.Hour), Title: "Garden", Camera: "garden", Seal: key})
	if err != nil {
		t.Fatal(err)
	}
	b := open(t, ctx, e, p.URL)
	newest := segs[len(segs)-1].Path
	waitPlaying(t, ctx, b, newest)
	button := `document.getElementById("daylapse")`
	if err := b.WaitFor(ctx, `!`+button+`.hidden`, stateJS); err != nil {
		t.Fatalf("no \"The day in a minute\" button for a day with a timelapse: %v", err)
	}
	if err := b.Eval(ctx, button+`.click()`, nil); err != nil {
		t.Fatal(err)
	}
	playing := `(() => { const v = document.getElementById("video"); return camshare.state().lapse === ` + jsString(day.Format("20060102")) +
		` && v.currentTime > 0.3 && v.videoWidth === 320 && ` + button + `.textContent === "Back to the recordings"; })()`
	if err := b.WaitFor(ctx, playing, stateJS); err != nil {
		t.Fatalf("the timelapse did not play: %v", err)
	}
	shot(t, ctx, b, "daylapse-phone.png", browsertest.Phone)
	ended := `(() => { const v = document.getElementById("video"); return v.ended && document.getElementById("status").textContent.startsWith("That was the whole day"); })()`
	if err := b.WaitFor(ctx, ended, stateJS); err != nil {
		t.Fatalf("the timelapse did not play to its end: %v", err)
	}
	var duration float64
	if err := b.Eval(ctx, `document.getElementById("video").duration`, &duration); err != nil || duration < 2.5 || duration > 2.8 {
		t.Errorf("timelapse of %.2f s (%v): want 80 pictures at 30 fps, 2.67 s", duration, err)
	}
	if err := b.Eval(ctx, button+`.click()`, nil); err != nil {
		t.Fatal(err)
	}
	waitPlaying(t, ctx, b, newest)
	if st := state(t, ctx, b); st.Trouble != "" {
		t.Errorf("back at the recordings with trouble %q (%s)", st.Trouble, st.Status)
	}
}

// buildLapse is the day's timelapse as camshare makes it: one key frame a
// second from the day's segments.
func buildLapse(t *testing.T, ctx context.Context, a *archiveS3, day time.Time) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "lapse.mp4")
	res, err := recorder.BuildTimelapse(ctx, recorder.TimelapseOptions{Source: a.f, Scheme: a.s, Day: day, Every: time.Second, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if res.Frames != 80 {
		t.Fatalf("timelapse of %d pictures, want 80", res.Frames)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
