package share

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/archive"
	"github.com/camshare/camshare/internal/testkit/browsertest"
	"github.com/camshare/camshare/internal/testkit/livetest"
	"github.com/camshare/camshare/ship"
)

// liveSnap is camshare.live(): the page's near-live view.
type liveSnap struct {
	Wanted bool     `json:"wanted"`
	Shown  bool     `json:"shown"`
	Camera string   `json:"camera"`
	State  string   `json:"state"`
	Kind   string   `json:"kind"`
	Delay  *float64 `json:"delay"`
	Status string   `json:"status"`
	Main   bool     `json:"mainPlaying"`
}

const liveSnapJS = `Object.assign(camshare.live(), {status: document.getElementById("status").textContent,
	mainPlaying: !document.getElementById("video").paused})`

// TestPageLiveChromium: the family page, opened from its share link,
// shows the camera at most 10 s behind while watched (through live.js, the
// delay in its status), an older moment stops live and its part uploads,
// "Jump to latest" brings it back, and closing the page stops part
// uploads within one heartbeat period.
func TestPageLiveChromium(t *testing.T) {
	var keeper atomic.Pointer[Keeper]
	shipped := make(chan struct{}, 100)
	rig := livetest.Start(t, livetest.Options{Segment: 20 * time.Second, OnShipped: func(sh ship.Shipped) {
		if k := keeper.Load(); k != nil {
			k.Note(archive.Segment{Path: sh.Remote, Start: sh.Start, Size: sh.Size})
		}
		shipped <- struct{}{}
	}})
	ctx, cancel := context.WithTimeout(rig.Context(), 6*time.Minute)
	defer cancel()
	dest := rig.Dests["cam1"]
	for n := 0; n < 2; n++ { // two segments: one to go back to
		select {
		case <-shipped:
		case <-ctx.Done():
			t.Fatal("no segment shipped")
		}
	}
	rig.IndexURL(t, "cam1") // the live stream has set up: the page can have a live view
	p, err := Publish(ctx, Options{Dest: dest, Scheme: rig.Scheme, Window: time.Hour, Title: "Garden", Camera: "cam1"})
	if err != nil {
		t.Fatal(err)
	}
	k := &Keeper{Dest: dest, Scheme: rig.Scheme}
	keeper.Store(k)
	go k.Run(ctx)

	page := browsertest.Open(ctx, t, browsertest.Chromium, p.URL, browsertest.Options{})
	read := func() liveSnap {
		t.Helper()
		var s liveSnap
		if err := page.Eval(ctx, liveSnapJS, &s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	waitLive := func(why string) {
		t.Helper()
		wctx, wcancel := context.WithTimeout(ctx, 90*time.Second)
		defer wcancel()
		if err := page.WaitFor(wctx, `(() => { const s = camshare.live(); return s.shown && s.delay !== null && s.delay <= 10; })()`, liveSnapJS); err != nil {
			t.Fatalf("%s: the page never showed the camera within 10 s: %v", why, err)
		}
	}
	waitLive("opened")

	// Watched for 25 s (across a segment boundary): every picture ≤ 10 s old.
	worst, misses := 0.0, 0
	for end := time.Now().Add(25 * time.Second); time.Now().Before(end); time.Sleep(time.Second) {
		s := read()
		if !s.Shown || s.Delay == nil {
			// rclone's S3 server can serve an object torn while it is
			// replaced (real S3 cannot): one poll may fail, not three.
			if misses++; misses >= 3 {
				t.Fatalf("lost the live view: %+v", s)
			}
			continue
		}
		misses = 0
		worst = max(worst, *s.Delay)
		if s.Main {
			t.Errorf("the closed segment plays beneath the live view: %+v", s)
		}
		if s.Status != "Live, a few seconds behind the camera." {
			t.Errorf("status %q while live at %.1f s", s.Status, *s.Delay)
		}
	}
	if worst > 10 {
		t.Errorf("newest picture up to %.1f s old while watched", worst)
	}
	if rig.Count("camshare", "PUT", "part") == 0 {
		t.Fatal("no part uploaded while watched")
	}

	// An older moment: live stops (and so do parts), the recording plays.
	if err := page.Eval(ctx, `document.getElementById("prev").click()`, nil); err != nil {
		t.Fatal(err)
	}
	wctx, wcancel := context.WithTimeout(ctx, 30*time.Second)
	err = page.WaitFor(wctx, `(() => { const s = camshare.live(); return !s.wanted && !s.shown && !document.getElementById("video").paused; })()`, liveSnapJS)
	wcancel()
	if err != nil {
		t.Fatalf("an older moment did not stop live: %v", err)
	}
	checkPartsStop(t, rig, "going back to an older moment")

	// Jump to latest: live again.
	if err := page.Eval(ctx, `document.getElementById("latest").click()`, nil); err != nil {
		t.Fatal(err)
	}
	waitLive("jump to latest")

	// Closed: part uploads stop within one heartbeat period.
	if err := page.Navigate(ctx, "about:blank"); err != nil {
		t.Fatal(err)
	}
	checkPartsStop(t, rig, "closing the page")
	if st := rig.Shipper.LiveStats()["cam1"]; st.Watched {
		t.Errorf("still watched 30 s after the page closed: %+v", st)
	}
	t.Logf("worst delay %.1f s; requests %v", worst, rig.Counts())
}

// checkPartsStop: no part upload starts more than 10 s (one heartbeat
// period) after now, watched for 20 s more.
func checkPartsStop(t *testing.T, rig *livetest.Rig, after string) {
	t.Helper()
	time.Sleep(10 * time.Second)
	at10 := rig.Count("camshare", "PUT", "part")
	time.Sleep(20 * time.Second)
	if n := rig.Count("camshare", "PUT", "part"); n != at10 {
		t.Errorf("%d part uploads more than 10 s after %s", n-at10, after)
	}
}

// TestPageLivePicker: run's page of one camera among several offers each
// camera's live view (Options.OtherLive): a picker lists them, own camera
// first, and picking the other one shows that camera live, at most 10 s
// behind, with its parts uploaded only from then on.
func TestPageLivePicker(t *testing.T) {
	onEngines(t, []browsertest.Engine{browsertest.Chromium, browsertest.Firefox}, func(t *testing.T, e browsertest.Engine) {
		shipped := make(chan string, 100)
		rig := livetest.Start(t, livetest.Options{Cameras: 2, Segment: 20 * time.Second, OnShipped: func(sh ship.Shipped) { shipped <- sh.Source }})
		ctx, cancel := context.WithTimeout(rig.Context(), 5*time.Minute)
		defer cancel()
		for seen := map[string]bool{}; !seen["cam1"]; {
			select {
			case cam := <-shipped:
				seen[cam] = true
			case <-ctx.Done():
				t.Fatal("no segment shipped")
			}
		}
		rig.IndexURL(t, "cam1")
		rig.IndexURL(t, "cam2")
		p, err := Publish(ctx, Options{Dest: rig.Dests["cam1"], Scheme: rig.Scheme, Window: time.Hour, Title: "Home", Camera: "cam1",
			OtherLive: []LiveCamera{{Name: "cam2", Dest: rig.Dests["cam2"]}}})
		if err != nil {
			t.Fatal(err)
		}
		page := browsertest.Open(ctx, t, e, p.URL, browsertest.Options{Viewport: browsertest.Phone})
		waitLiveOf := func(cam string) {
			t.Helper()
			wctx, wcancel := context.WithTimeout(ctx, 90*time.Second)
			defer wcancel()
			cond := `(() => { const s = camshare.live(); return s.camera === ` + jsString(cam) + ` && s.shown && s.delay !== null && s.delay <= 10; })()`
			if err := page.WaitFor(wctx, cond, liveSnapJS); err != nil {
				t.Fatalf("%s never shown live within 10 s: %v", cam, err)
			}
		}
		waitLiveOf("cam1")
		var options []string
		if err := page.Eval(ctx, `Array.from(document.querySelectorAll("#livecam option")).map(o => o.value)`, &options); err != nil || len(options) != 2 || options[0] != "cam1" || options[1] != "cam2" {
			t.Fatalf("camera picker %v (%v): want [cam1 cam2]", options, err)
		}
		before := rig.Shipper.LiveStats()["cam2"].Parts
		if err := page.Eval(ctx, `(() => { const p = document.getElementById("livecam"); p.value = "cam2"; p.dispatchEvent(new Event("change")); })()`, nil); err != nil {
			t.Fatal(err)
		}
		waitLiveOf("cam2")
		shot(t, ctx, page, "livepicker-phone.png", browsertest.Phone)
		if n := rig.Shipper.LiveStats()["cam2"].Parts; n <= before {
			t.Errorf("cam2 shown live with no part uploaded since it was picked (%d, %d before)", n, before)
		}
	})
}
