package share

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/operations"

	"github.com/camshare/camshare/internal/testkit/browsertest"
)

// oldIndexSegment is one segment in the index the page polled before
// (issue 15, item 11): the whole index, every poll, cache: "no-store".
type oldIndexSegment struct {
	Start   string  `json:"start"`
	End     *string `json:"end"`
	Path    string  `json:"path"`
	Size    int64   `json:"size"`
	URL     string  `json:"url"`
	Expires *string `json:"expires"`
	StartMS int64   `json:"ms"`
	EndMS   int64   `json:"end_ms,omitempty"`
	Offset  int     `json:"offset"`
}

// Item 11: bytes an hour for an open tab on a 7-day window of 5-minute
// segments, measured in Chromium in one run: before, the whole index
// fetched with no-store each poll; after, latest.json revalidated (304)
// each poll plus the newest day once. Polling pauses while hidden.
func TestPageBytesPerHour(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	a := newArchiveS3(t, ctx)
	now := time.Now().UTC().Truncate(5 * time.Minute)
	// 2016 segments written straight into the server's folder (fast).
	for at := now.Add(-7 * 24 * time.Hour).Add(5 * time.Minute); !at.After(now); at = at.Add(5 * time.Minute) {
		p, _ := a.s.RemotePath(a.s.Name(at))
		file := filepath.Join(a.srv.Root, "garden", filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const poll = 300 * time.Millisecond
	p, err := Publish(ctx, Options{Dest: a.f, Scheme: a.s, Window: 7 * 24 * time.Hour, Title: "Garden", Poll: poll})
	if err != nil {
		t.Fatal(err)
	}
	if p.Segments != 2016 {
		t.Fatalf("%d segments selected", p.Segments)
	}
	// The old index, as the old page fetched it, beside the new documents.
	r, err := readRecord(ctx, a.f, p.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	old := make([]oldIndexSegment, len(r.Segments))
	for i, l := range r.Segments {
		end, exp := l.End.Format(time.RFC3339), l.Expires.Format(time.RFC3339)
		old[i] = oldIndexSegment{l.Start.Format(time.RFC3339), &end, l.Path, l.Size, l.URL, &exp, l.Start.UnixMilli(), l.End.UnixMilli(), 0}
	}
	raw, _ := json.Marshal(map[string]any{"version": 1, "title": "Garden", "live": true, "segments": old})
	if err := put(ctx, a.f, "old-index.json", raw, "application/json"); err != nil {
		t.Fatal(err)
	}
	oldURL, err := operations.PublicLink(ctx, a.f, "old-index.json", fs.Duration(time.Hour), false)
	if err != nil {
		t.Fatal(err)
	}

	b := open(t, ctx, browsertest.Chromium, p.URL)
	if err := b.Eval(ctx, `performance.setResourceTimingBufferSize(100000)`, nil); err != nil {
		t.Fatal(err)
	}
	loaded := daysLoadedAtStart(now.Truncate(24 * time.Hour)) // the newest day's first segment is at midnight
	if err := b.WaitFor(ctx, `camshare.state().loadedDays === `+itoa(loaded)+` && camshare.state().polls > 2`, stateJS); err != nil {
		t.Fatal(err)
	}
	// Steady state: count what the page fetches over 20 polls.
	if err := b.Eval(ctx, `performance.clearResourceTimings()`, nil); err != nil {
		t.Fatal(err)
	}
	start := state(t, ctx, b)
	if err := b.WaitFor(ctx, `camshare.state().polls >= `+itoa(start.Polls+20), stateJS); err != nil {
		t.Fatal(err)
	}
	var after struct {
		Bytes int `json:"bytes"`
		N     int `json:"n"`
	}
	if err := b.Eval(ctx, `(() => { const e = performance.getEntriesByType("resource").filter(e => e.name.includes("/latest.json"));
		return {bytes: e.reduce((s, x) => s + x.transferSize, 0), n: e.length}; })()`, &after); err != nil {
		t.Fatal(err)
	}
	var before struct {
		Bytes int `json:"bytes"`
	}
	if err := b.Eval(ctx, `(async () => { performance.clearResourceTimings(); for (let i = 0; i < 3; i++) await (await fetch(`+jsString(oldURL)+`, {cache: "no-store"})).arrayBuffer();
		await new Promise(r => setTimeout(r, 200));
		const e = performance.getEntriesByType("resource").filter(e => e.name.includes("/old-index.json"));
		return {bytes: e.reduce((s, x) => s + x.transferSize, 0) / e.length}; })()`, &before); err != nil {
		t.Fatal(err)
	}
	// New footage every 5 minutes changes latest.json: 12 full fetches an hour.
	latestDoc, err := get(ctx, a.f, shareDir(p.ID)+"/"+docName("", false))
	if err != nil {
		t.Fatal(err)
	}
	changed := 12 * (len(latestDoc) + 300)
	if after.N == 0 || before.Bytes == 0 {
		t.Fatalf("nothing measured: after %+v before %+v", after, before)
	}
	perPoll := float64(after.Bytes) / float64(after.N)
	pollsHour := float64(time.Hour / DefaultPoll)
	beforeHour := float64(before.Bytes) * pollsHour
	afterHour := perPoll*pollsHour + float64(changed)
	t.Logf("open tab, 7-day window, 2016 segments, poll every %s: before %.1f MB/hour (%d B per poll), after %.1f KB/hour (%.0f B per unchanged poll, 304; 12 changed latest.json of %d B); ratio %.0f×",
		DefaultPoll, beforeHour/1e6, before.Bytes, afterHour/1e3, perPoll, len(latestDoc), beforeHour/afterHour)
	if afterHour*100 > beforeHour {
		t.Errorf("after %.0f B/hour is not a hundredth of before %.0f", afterHour, beforeHour)
	}

	// Hidden: no polls.
	if err := b.Eval(ctx, `(() => { Object.defineProperty(document, "hidden", {get: () => true, configurable: true}); document.dispatchEvent(new Event("visibilitychange")) })()`, nil); err != nil {
		t.Fatal(err)
	}
	hidden := state(t, ctx, b).Polls
	time.Sleep(10 * poll)
	if n := state(t, ctx, b).Polls; n > hidden+1 {
		t.Errorf("a hidden tab polled %d times", n-hidden)
	}
	if err := b.Eval(ctx, `(() => { Object.defineProperty(document, "hidden", {get: () => false, configurable: true}); document.dispatchEvent(new Event("visibilitychange")) })()`, nil); err != nil {
		t.Fatal(err)
	}
	if err := b.WaitFor(ctx, `camshare.state().polls > `+itoa(hidden+1), stateJS); err != nil {
		t.Fatalf("polling did not resume when shown: %v", err)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
