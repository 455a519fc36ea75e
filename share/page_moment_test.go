package share

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/testkit/browsertest"
)

// mouse sends a mouse event (pointer events follow) at x, y: a real one
// through CDP in Chromium, a synthetic pointer event elsewhere.
func mouse(t *testing.T, ctx context.Context, b *browsertest.Page, kind string, x, y float64) {
	t.Helper()
	if b.Engine != browsertest.Chromium {
		ptr := map[string]string{"mousePressed": "pointerdown", "mouseMoved": "pointermove", "mouseReleased": "pointerup"}[kind]
		js := `document.getElementById("timeline").dispatchEvent(new PointerEvent(` + jsString(ptr) + `, {bubbles: true, clientX: ` +
			fmt.Sprint(x) + `, clientY: ` + fmt.Sprint(y) + `, pointerId: 1, buttons: ` + map[bool]string{true: "0", false: "1"}[kind == "mouseReleased"] + `}))`
		if err := b.Eval(ctx, js, nil); err != nil {
			t.Fatal(err)
		}
		return
	}
	p := map[string]any{"type": kind, "x": x, "y": y, "button": "left", "buttons": 1, "clickCount": 1}
	if kind == "mouseReleased" {
		p["buttons"] = 0
	}
	if _, err := b.CDP(ctx, "Input.dispatchMouseEvent", p); err != nil {
		t.Fatal(err)
	}
}

// key presses a key on the focused element: through CDP in Chromium, a
// synthetic keydown elsewhere.
func key(t *testing.T, ctx context.Context, b *browsertest.Page, name string, code int) {
	t.Helper()
	if b.Engine != browsertest.Chromium {
		if err := b.Eval(ctx, `document.activeElement.dispatchEvent(new KeyboardEvent("keydown", {key: `+jsString(name)+`, bubbles: true, cancelable: true}))`, nil); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, kind := range []string{"keyDown", "keyUp"} {
		if _, err := b.CDP(ctx, "Input.dispatchKeyEvent", map[string]any{"type": kind, "key": name, "code": name, "windowsVirtualKeyCode": code}); err != nil {
			t.Fatal(err)
		}
	}
}

// Items 9 and 13: three days of footage. A day picker labelled in the
// viewer's language (only the newest day's document is loaded at first;
// an older one when picked), an hour ruler, a focusable labelled timeline
// stepped with the keys, and a drag that shows the time and a picture
// under the finger and plays from there.
func TestPageFindsAMoment(t *testing.T) {
	everyEngine(t, func(t *testing.T, e browsertest.Engine) {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		a := newArchiveS3(t, ctx)
		now := time.Now().UTC().Truncate(time.Minute)
		var at []time.Time
		for _, day := range []int{2, 1} {
			for _, m := range []int{0, 1, 2} {
				at = append(at, now.AddDate(0, 0, -day).Add(time.Duration(m)*time.Minute))
			}
		}
		today := minutes(now, 6, 5, 4, 3, 2, 1)
		segs := a.add(t, ctx, append(at, today...)...)
		p, err := Publish(ctx, Options{Dest: a.f, Scheme: a.s, Window: 3 * 24 * time.Hour, Title: "Garden", Poll: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		b := open(t, ctx, e, p.URL)
		newest := segs[len(segs)-1].Path
		waitPlaying(t, ctx, b, newest)
		days := map[string]bool{}
		for _, s := range segs {
			days[s.Start.Format("20060102")] = true
		}
		// Near midnight "today" is split: the newest day holds fewer, and
		// the page loads the day before with it (the last hour is there).
		newestDay, inNewest, newestFirst := segs[len(segs)-1].Start.Format("20060102"), 0, time.Time{}
		for _, s := range segs {
			if s.Start.Format("20060102") == newestDay {
				if inNewest == 0 {
					newestFirst = s.Start
				}
				inNewest++
			}
		}
		loadedAtStart := daysLoadedAtStart(newestFirst)
		var pick struct {
			Options []string `json:"options"`
			Want    string   `json:"want"`
			Labels  int      `json:"labels"`
			Role    string   `json:"role"`
			Tab     int      `json:"tab"`
			Label   string   `json:"label"`
			Live    string   `json:"live"`
		}
		if err := b.Eval(ctx, `({options: [...document.querySelectorAll("#day option")].map(o => o.textContent),
			want: new Intl.DateTimeFormat(navigator.language, {weekday: "long", day: "numeric", month: "long", timeZone: "UTC"}).format(new Date(`+jsString(segs[len(segs)-1].Start.Format(time.RFC3339))+`)),
			labels: document.querySelectorAll("#ruler span").length, role: timeline.getAttribute("role"), tab: timeline.tabIndex,
			label: timeline.getAttribute("aria-label"), live: document.getElementById("status").getAttribute("aria-live")})`, &pick); err != nil {
			t.Fatal(err)
		}
		if len(pick.Options) != len(days) || !strings.HasPrefix(pick.Options[0], pick.Want) || !strings.Contains(pick.Options[0], fmt.Sprintf("(%d recording", inNewest)) {
			t.Fatalf("day picker %q, want %d days, newest first, starting %q", pick.Options, len(days), pick.Want)
		}
		if pick.Labels < 2 || pick.Role != "slider" || pick.Tab != 0 || pick.Label == "" || pick.Live != "polite" {
			t.Fatalf("timeline/ruler/status: %+v", pick)
		}
		if err := b.WaitFor(ctx, `camshare.state().loadedDays === `+itoa(loadedAtStart), stateJS); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Second) // nothing more loads on its own
		if st := state(t, ctx, b); st.LoadedDays != loadedAtStart || st.Days != len(days) {
			t.Fatalf("loaded %d of %d days at start, want %d", st.LoadedDays, st.Days, loadedAtStart)
		}

		// Keys: focus the timeline, Left steps back one recording, End returns.
		if err := b.Eval(ctx, `timeline.focus()`, nil); err != nil {
			t.Fatal(err)
		}
		key(t, ctx, b, "ArrowLeft", 37)
		waitPlaying(t, ctx, b, segs[len(segs)-2].Path)
		var valuetext string
		if err := b.Eval(ctx, `timeline.getAttribute("aria-valuetext")`, &valuetext); err != nil || !regexp.MustCompile(`\d\d:\d\d:\d\d`).MatchString(valuetext) {
			t.Fatalf("aria-valuetext %q %v", valuetext, err)
		}
		key(t, ctx, b, "End", 35)
		waitPlaying(t, ctx, b, newest)

		// Drag across the timeline: the bubble shows a time and, over a
		// recording already played, its picture; release plays from there.
		var box struct{ X, Y, W, H float64 }
		if err := b.Eval(ctx, `(() => { const r = timeline.getBoundingClientRect(); return {x: r.left, y: r.top, w: r.width, h: r.height}; })()`, &box); err != nil {
			t.Fatal(err)
		}
		var runs []float64 // right end of each run of footage (the newest, played)
		if err := b.Eval(ctx, `[...document.querySelectorAll("#timeline .run")].map(r => { const b = r.getBoundingClientRect(); return b.right - 3; })`, &runs); err != nil || len(runs) == 0 {
			t.Fatalf("no footage drawn on the timeline: %v", err)
		}
		y := box.Y + box.H/2
		mouse(t, ctx, b, "mousePressed", box.X+5, y)
		mouse(t, ctx, b, "mouseMoved", runs[len(runs)-1], y)
		var bubble struct {
			Shown bool   `json:"shown"`
			Time  string `json:"time"`
			Ink   int    `json:"ink"`
		}
		if err := b.Eval(ctx, `(() => { const c = document.getElementById("thumb"), d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
			let ink = 0; for (let i = 0; i < d.length; i += 4) if (d[i] + d[i+1] + d[i+2] > 200) ink++;
			return {shown: !bubble.hidden, time: btime.textContent, ink}; })()`, &bubble); err != nil {
			t.Fatal(err)
		}
		if !bubble.Shown || !regexp.MustCompile(`\d:\d\d`).MatchString(bubble.Time) || bubble.Ink < 100 {
			t.Fatalf("scrub bubble %+v: want a time and a picture", bubble)
		}
		mouse(t, ctx, b, "mouseReleased", runs[len(runs)-1], y)
		if err := b.WaitFor(ctx, `bubble.hidden && camshare.state().played.length > 3`, stateJS); err != nil {
			t.Fatal(err)
		}

		// An older day: picked, its document loads, its first recording plays.
		if err := b.Eval(ctx, `(() => { const d = document.getElementById("day"); d.value = d.options[2].value; d.dispatchEvent(new Event("change")); })()`, nil); err != nil {
			t.Fatal(err)
		}
		waitPlaying(t, ctx, b, segs[0].Path)
		if st := state(t, ctx, b); st.LoadedDays != loadedAtStart+1 {
			t.Fatalf("after picking a day, %d days loaded", st.LoadedDays)
		}
		// It plays on into the next day without the viewer doing anything.
		waitPlaying(t, ctx, b, segs[1].Path)
		shot(t, ctx, b, "moment-phone.png", browsertest.Phone)
		shot(t, ctx, b, "moment-desktop.png", browsertest.Desktop)
	})
}

// Item 10: "Save this moment" downloads the recording playing, named
// with the camera and the time.
func TestPageSavesAMoment(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	a := newArchiveS3(t, ctx)
	now := time.Now().UTC().Truncate(time.Second)
	segs := a.add(t, ctx, minutes(now, 2, 1)...)
	p, err := Publish(ctx, Options{Dest: a.f, Scheme: a.s, Window: time.Hour, Title: "Our house", Camera: "garden", Poll: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	b := open(t, ctx, browsertest.Chromium, p.URL)
	waitPlaying(t, ctx, b, segs[1].Path)
	dir := t.TempDir()
	if _, err := b.CDP(ctx, "Page.setDownloadBehavior", map[string]any{"behavior": "allow", "downloadPath": dir}); err != nil {
		t.Fatal(err)
	}
	if err := b.Eval(ctx, `document.getElementById("save").click()`, nil); err != nil {
		t.Fatal(err)
	}
	name := "garden " + segs[1].Start.Format("2006-01-02 15.04.05") + ".mp4"
	file := filepath.Join(dir, name)
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, err := os.ReadFile(file)
		if err == nil && len(got) == len(clip(t)) {
			break
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(dir)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			st := state(t, ctx, b)
			raw, _ := json.Marshal(st)
			t.Fatalf("no %q saved (found %q; %s)", name, names, raw)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
