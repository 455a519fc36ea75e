package share

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/archive"
	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/testkit/browsertest"
	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

// pageState is camshare.state() plus the player's own state.
type pageState struct {
	Segments   int      `json:"segments"`
	Current    string   `json:"current"`
	Waiting    bool     `json:"waiting"`
	Live       bool     `json:"live"`
	Trouble    string   `json:"trouble"`
	Played     []string `json:"played"`
	Polls      int      `json:"polls"`
	Days       int      `json:"days"`
	LoadedDays int      `json:"loadedDays"`
	Time       float64  `json:"time"`
	Status     string   `json:"status"`
	Age        string   `json:"age"`
	Expiry     string   `json:"expiry"`
	Damaged    []string `json:"damaged"`
	PlayedAs   string   `json:"playedAs"`
}

const stateJS = `Object.assign(camshare.state(), {time: document.getElementById("video").currentTime,
	status: document.getElementById("status").textContent, age: document.getElementById("age").textContent,
	expiry: document.getElementById("expiry").textContent})`

// archiveS3 is rclone's S3 server with an archive folder "garden".
type archiveS3 struct {
	srv *rclonetest.Server
	f   fs.Fs
	s   *layout.Scheme
}

func newArchiveS3(t *testing.T, ctx context.Context) *archiveS3 {
	t.Helper()
	return archiveOn(t, ctx, rclonetest.S3(t))
}

// newPublicS3 is an archive in a bucket that serves its objects unsigned
// (public-read), as an encrypted archive's page needs.
func newPublicS3(t testing.TB, ctx context.Context) *archiveS3 {
	t.Helper()
	return archiveOn(t, ctx, rclonetest.PublicS3(t))
}

func archiveOn(t testing.TB, ctx context.Context, srv *rclonetest.Server) *archiveS3 {
	t.Helper()
	f, err := remote.Open(ctx, srv.Remote+"/garden")
	if err != nil {
		t.Fatal(err)
	}
	return &archiveS3{srv: srv, f: f, s: utcScheme(t)}
}

// add uploads the test clip as a segment starting at each time.
func (a *archiveS3) add(t *testing.T, ctx context.Context, at ...time.Time) []archive.Segment {
	t.Helper()
	var out []archive.Segment
	for _, when := range at {
		p := upload(t, ctx, a.f, a.s, when, clip(t))
		out = append(out, archive.Segment{Path: p, Start: when, Size: int64(len(clip(t)))})
	}
	return out
}

// open opens url at phone size in engine e; the page closes when the test ends.
func open(t *testing.T, ctx context.Context, e browsertest.Engine, url string) *browsertest.Page {
	t.Helper()
	return browsertest.Open(ctx, t, e, url, browsertest.Options{Viewport: browsertest.Phone})
}

// everyEngine runs test once per browser engine the page is proven in:
// Chromium and Firefox. WebKit joined the kit late in the work that built
// these tests; the ones proven in it since run in allEngines (starting at
// the newest, the day in a minute, sealed playback, wrong key and revoke).
func everyEngine(t *testing.T, test func(t *testing.T, e browsertest.Engine)) {
	onEngines(t, []browsertest.Engine{browsertest.Chromium, browsertest.Firefox}, test)
}

// allEngines runs test in every engine of the kit, WebKit included.
func allEngines(t *testing.T, test func(t *testing.T, e browsertest.Engine)) {
	onEngines(t, browsertest.Engines(), test)
}

func onEngines(t *testing.T, engines []browsertest.Engine, test func(t *testing.T, e browsertest.Engine)) {
	for _, e := range engines {
		t.Run(string(e), func(t *testing.T) { test(t, e) })
	}
}

func state(t *testing.T, ctx context.Context, b *browsertest.Page) pageState {
	t.Helper()
	var st pageState
	if err := b.Eval(ctx, stateJS, &st); err != nil {
		t.Fatal(err)
	}
	return st
}

func waitPlaying(t *testing.T, ctx context.Context, b *browsertest.Page, path string) {
	t.Helper()
	cond := `(() => { const s = ` + stateJS + `; return s.current === ` + jsString(path) + ` && s.time > 0.3; })()`
	// The sound check runs on every poll too, so it watches from the start
	// of playback as it must (see AudioDecodedJS); waitSound waits for it.
	cond = `[` + b.Engine.AudioDecodedJS(`document.getElementById("video")`) + `, ` + cond + `][1]`
	if err := b.WaitFor(ctx, cond, stateJS); err != nil {
		t.Fatalf("waiting for %s to play: %v", path, err)
	}
}

// shot saves a screenshot of the page at size v, named after the engine.
func shot(t *testing.T, ctx context.Context, b *browsertest.Page, name string, v browsertest.Viewport) {
	t.Helper()
	if err := b.SetViewport(ctx, v); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // the page lays itself out again (ruler labels)
	dir := os.Getenv("CAMSHARE_SHOTS")
	if dir == "" {
		dir = t.ArtifactDir()
	}
	p := filepath.Join(dir, string(b.Engine)+"-"+name)
	if err := b.Screenshot(ctx, p); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", p)
}

// waitSound waits until the engine has decoded the video's sound (Firefox
// here has no audio device, but decodes: mozHasAudio).
func waitSound(t *testing.T, ctx context.Context, b *browsertest.Page) {
	t.Helper()
	if err := b.WaitFor(ctx, b.Engine.AudioDecodedJS(`document.getElementById("video")`), stateJS); err != nil {
		t.Errorf("no sound decoded: %v", err)
	}
}

// daysLoadedAtStart is the page's rule: the newest day, and the day before
// too while the newest day's first recording is under an hour old.
func daysLoadedAtStart(newestFirst time.Time) int {
	if time.Since(newestFirst) < time.Hour {
		return 2
	}
	return 1
}

func minutes(now time.Time, ago ...int) []time.Time {
	var out []time.Time
	for _, m := range ago {
		out = append(out, now.Add(-time.Duration(m)*time.Minute))
	}
	return out
}

// Item 1: a live page written 20 minutes before it is opened starts at the
// newest footage (not at what was newest when written), says how old it
// is, and "Jump to latest" comes back to it.
func TestPageStartsAtNewest(t *testing.T) {
	allEngines(t, func(t *testing.T, e browsertest.Engine) {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		a := newArchiveS3(t, ctx)
		now := time.Now().UTC().Truncate(time.Second)
		a.add(t, ctx, minutes(now, 24, 23, 22, 21)...)
		p, err := Publish(ctx, Options{Dest: a.f, Scheme: a.s, Window: time.Hour, Title: "Garden", Camera: "garden", Poll: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		checkContentType(t, p.URL, "text/html")
		// 20 minutes of footage shipped after the page was written; ship's keeper adds it.
		later := a.add(t, ctx, minutes(now, 3, 2, 1)...)
		k := &Keeper{Dest: a.f, Scheme: a.s}
		k.Flush(ctx)

		b := open(t, ctx, e, p.URL)
		newest := later[2].Path
		waitPlaying(t, ctx, b, newest)
		st := state(t, ctx, b)
		if st.Played[0] != newest {
			t.Fatalf("the page started at %s, not the newest %s", st.Played[0], newest)
		}
		if !st.Live || !strings.Contains(st.Age, "Latest footage:") || !strings.Contains(st.Age, "minute") {
			t.Errorf("age %q live %v", st.Age, st.Live)
		}
		waitSound(t, ctx, b)
		if err := b.Eval(ctx, `document.getElementById("prev").click()`, nil); err != nil {
			t.Fatal(err)
		}
		waitPlaying(t, ctx, b, later[1].Path)
		if err := b.Eval(ctx, `document.getElementById("latest").click()`, nil); err != nil {
			t.Fatal(err)
		}
		waitPlaying(t, ctx, b, newest)
		shot(t, ctx, b, "page-phone.png", browsertest.Phone)
		shot(t, ctx, b, "page-desktop.png", browsertest.Desktop)
		var width float64
		if err := b.Eval(ctx, `document.querySelector("main").getBoundingClientRect().width`, &width); err != nil || width > 960 {
			t.Errorf("page %v px wide on a 1280 px screen, want at most 960 (%v)", width, err)
		}
	})
}

func checkContentType(t *testing.T, url, want string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, want) {
		t.Errorf("Content-Type %q, want %s (a browser would download the page instead of showing it)", ct, want)
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
