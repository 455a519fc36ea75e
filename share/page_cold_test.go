package share

import (
	"bytes"
	"context"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/testkit/browsertest"
	"github.com/rclone/rclone/fs"
)

// A recording in a cold storage tier (prune --cold-after; the index says
// cold) is said to be archived, not playable now, and the next one plays.
// rclone's S3 server has no storage classes, so the test marks one segment
// cold in the share's documents on the server's disk, as share writes them
// for an object in GLACIER (isCold).
func TestPageSaysArchivedAndGoesOn(t *testing.T) {
	everyEngine(t, func(t *testing.T, e browsertest.Engine) {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		a := newPublicS3(t, ctx)
		now := time.Now().UTC().Truncate(time.Second)
		segs := a.add(t, ctx, minutes(now, 3, 2, 1)...)
		p, err := Publish(ctx, Options{Dest: a.f, Scheme: a.s, Window: time.Hour, Title: "Garden", Poll: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		markSegment(t, ctx, a, p.ID, segs[1].Path, `"cold":true`)
		b := open(t, ctx, e, p.URL)
		if err := b.Eval(ctx, `document.getElementById("day").dispatchEvent(new Event("change"))`, nil); err != nil {
			t.Fatal(err)
		}
		waitPlaying(t, ctx, b, segs[0].Path)
		archived := `document.getElementById("status").textContent.includes("is archived, not playable now")`
		if err := b.WaitFor(ctx, archived, stateJS); err != nil {
			t.Fatalf("no archived sentence for %s: %v", segs[1].Path, err)
		}
		shot(t, ctx, b, "archived-phone.png", browsertest.Phone)
		waitPlaying(t, ctx, b, segs[2].Path)
		var src string
		if err := b.Eval(ctx, `camshare.state().played.join(",")`, &src); err != nil || !strings.Contains(src, segs[1].Path) {
			t.Errorf("played %q (%v): the cold one was not reached in order", src, err)
		}
	})
}

// markSegment adds fields (`"cold":true`) to segment path in every
// document of a share's folder (the page's embedded index, latest, the day
// documents), as share writes them. It goes through the remote, not the
// server's disk: the server caches sizes, and a longer file behind its back
// would be served cut short.
func markSegment(t *testing.T, ctx context.Context, a *archiveS3, id, seg, fields string) {
	t.Helper()
	needle := []byte(`"path":"` + seg + `"`)
	entries, err := a.f.List(ctx, shareDir(id))
	n := 0
	for _, e := range entries {
		o, ok := e.(fs.Object)
		if err != nil || !ok {
			continue
		}
		var b []byte
		if b, err = get(ctx, a.f, o.Remote()); err != nil || !bytes.Contains(b, needle) {
			continue
		}
		n++
		b = bytes.ReplaceAll(b, needle, append(append([]byte{}, needle...), ","+fields...))
		err = put(ctx, a.f, o.Remote(), b, mimeOf(path.Base(o.Remote())))
	}
	if err != nil || n == 0 {
		t.Fatalf("marking %s %s in share %s: %d documents (%v)", seg, fields, id, n, err)
	}
}

// Segments with activity (their sidecars' active seconds per 10 s, act in
// the index) are marked on the day's timeline, and "Next activity" /
// "Previous activity" jump between them over a segment without any.
func TestPageActivityMarksAndJumps(t *testing.T) {
	everyEngine(t, func(t *testing.T, e browsertest.Engine) {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		a := newPublicS3(t, ctx)
		now := time.Now().UTC().Truncate(time.Second)
		segs := a.add(t, ctx, minutes(now, 3, 2, 1)...)
		p, err := Publish(ctx, Options{Dest: a.f, Scheme: a.s, Window: time.Hour, Title: "Garden", Poll: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		markSegment(t, ctx, a, p.ID, segs[0].Path, `"act":[4]`)
		markSegment(t, ctx, a, p.ID, segs[2].Path, `"act":[6,2]`)
		b := open(t, ctx, e, p.URL)
		waitPlaying(t, ctx, b, segs[2].Path)
		marks := `(() => { const tl = document.getElementById("timeline"); return Array.from(tl.querySelectorAll(".act")).map(m => parseFloat(m.style.left)); })()`
		if err := b.WaitFor(ctx, marks+`.length === 2 && !document.getElementById("activity").hidden`, marks); err != nil {
			t.Fatalf("want two activity marks and the activity buttons: %v", err)
		}
		var left []float64
		if err := b.Eval(ctx, marks, &left); err != nil || !(left[0] < left[1]) {
			t.Fatalf("marks at %v%% (%v): want the older one first", left, err)
		}
		shot(t, ctx, b, "activity-phone.png", browsertest.Phone)
		if err := b.Eval(ctx, `document.getElementById("prevact").click()`, nil); err != nil {
			t.Fatal(err)
		}
		waitPlaying(t, ctx, b, segs[0].Path) // over segs[1], which has none
		if err := b.Eval(ctx, `document.getElementById("nextact").click()`, nil); err != nil {
			t.Fatal(err)
		}
		waitPlaying(t, ctx, b, segs[2].Path)
		var played []string
		if err := b.Eval(ctx, `camshare.state().played`, &played); err != nil {
			t.Fatal(err)
		}
		for _, p := range played {
			if p == segs[1].Path {
				t.Errorf("played %v: the jumps went through %s, which has no activity", played, segs[1].Path)
			}
		}
	})
}
