package share

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/testkit/browsertest"
	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

type pageState struct {
	Segments int     `json:"segments"`
	Current  string  `json:"current"`
	Waiting  bool    `json:"waiting"`
	Live     bool    `json:"live"`
	Time     float64 `json:"time"`
	Muted    bool    `json:"muted"`
}

const stateJS = `Object.assign(camshare.state(), {time: document.getElementById("video").currentTime, muted: document.getElementById("video").muted})`

// The page, opened in Chromium from its S3 presigned link, plays the newest
// segment, moves on when a segment ends, and picks up a segment uploaded
// after it was opened once the index is refreshed.
func TestPageLiveS3(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	srv := rclonetest.S3(t)
	f, err := remote.Open(ctx, srv.Remote+"/garden")
	if err != nil {
		t.Fatal(err)
	}
	s := utcScheme(t)
	now := time.Now().UTC().Truncate(time.Second)
	data := clip(t)
	var paths []string
	for _, ago := range []time.Duration{3, 2, 1} {
		paths = append(paths, upload(t, ctx, f, s, now.Add(-ago*time.Minute), data))
	}

	pageURL, warnings, err := WritePage(ctx, Options{Dest: f, Scheme: s, Window: time.Hour, Title: "Garden", Poll: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings for a 7-day page on S3: %q", warnings)
	}
	checkContentType(t, pageURL, "text/html")

	b, err := browsertest.Start(ctx, pageURL)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	playing := func(path string) {
		t.Helper()
		cond := `(() => { const s = ` + stateJS + `; return s.current === ` + jsString(path) + ` && s.time > 0.3; })()`
		if err := b.WaitFor(ctx, cond, stateJS); err != nil {
			t.Fatalf("waiting for %s to play: %v", path, err)
		}
	}
	playing(paths[2]) // newest first
	var audio int
	if err := b.Eval(ctx, `document.getElementById("video").webkitAudioDecodedByteCount`, &audio); err != nil || audio <= 0 {
		t.Errorf("no sound decoded (%d bytes): %v", audio, err)
	}

	// A tap on the oldest segment, then `ended` carries on to the next.
	if err := b.Eval(ctx, `document.querySelector('button.seg[data-path=`+jsString(paths[0])+`]').click()`, nil); err != nil {
		t.Fatal(err)
	}
	playing(paths[0])
	playing(paths[1])
	if err := b.WaitFor(ctx, `camshare.state().waiting`, stateJS); err != nil {
		t.Fatalf("the page did not wait at the newest segment: %v", err)
	}

	// ship uploads a new segment and refreshes the index: the page follows.
	paths = append(paths, upload(t, ctx, f, s, now.Add(-30*time.Second), data))
	if err := RefreshIndex(ctx, Options{Dest: f, Scheme: s}); err != nil {
		t.Fatal(err)
	}
	playing(paths[3])
	var st pageState
	if err := b.Eval(ctx, stateJS, &st); err != nil || st.Segments != 4 || !st.Live {
		t.Fatalf("state after refresh: %+v %v", st, err)
	}
	shot := filepath.Join(t.ArtifactDir(), "page-s3.png")
	if err := b.Screenshot(ctx, shot); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", shot)
}

// The demo's page: local folder, relative links, opened from disk. fetch()
// of file:// is blocked, so live mode goes through index.js.
func TestPageFromDisk(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	dir := t.TempDir()
	f, err := fs.NewFs(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	s := utcScheme(t)
	now := time.Now().UTC().Truncate(time.Second)
	data := clip(t)
	first := upload(t, ctx, f, s, now.Add(-2*time.Minute), data)

	page, _, err := WritePage(ctx, Options{Dest: f, Scheme: s, Relative: true, Title: "Demo <camera>", Poll: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if page != filepath.Join(dir, PageName) {
		t.Fatalf("page path %q", page)
	}
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(html), "<camera>") {
		t.Fatalf("title not escaped")
	}
	// Self-contained: no external scripts, styles, fonts or images.
	if m := regexp.MustCompile(`(?i)<[a-z]+[^>]*\s(src|href)\s*=|@import|url\(`).FindString(string(html)); m != "" {
		t.Fatalf("the page loads something from outside: %q", m)
	}
	b, err := browsertest.Start(ctx, "file://"+page)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	wait := func(path string) {
		t.Helper()
		cond := `(() => { const s = ` + stateJS + `; return s.current === ` + jsString(path) + ` && s.time > 0.3; })()`
		if err := b.WaitFor(ctx, cond, stateJS); err != nil {
			t.Fatalf("waiting for %s: %v", path, err)
		}
	}
	wait(first)
	second := upload(t, ctx, f, s, now.Add(-time.Minute), data)
	if err := RefreshIndex(ctx, Options{Dest: f, Scheme: s}); err != nil {
		t.Fatal(err)
	}
	wait(second)
	if err := b.Screenshot(ctx, filepath.Join(t.ArtifactDir(), "page-disk.png")); err != nil {
		t.Fatal(err)
	}
}

// Without a page in the folder, RefreshIndex (ship --update-page) has no
// selection to renew and says so.
func TestRefreshWithoutPage(t *testing.T) {
	f, err := fs.NewFs(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := RefreshIndex(context.Background(), Options{Dest: f, Scheme: layout.Default()}); err != ErrNoPage {
		t.Fatalf("err = %v, want ErrNoPage", err)
	}
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
