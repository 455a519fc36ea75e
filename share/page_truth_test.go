package share

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/testkit/browsertest"
)

// Item 2: a live page whose newest footage is old does not say LIVE; it
// says since when the camera has sent nothing.
func TestPageNotLiveWhenStale(t *testing.T) {
	everyEngine(t, func(t *testing.T, e browsertest.Engine) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		a := newArchiveS3(t, ctx)
		now := time.Now().UTC().Truncate(time.Second)
		segs := a.add(t, ctx, minutes(now, 43, 42, 41)...)
		p, err := Publish(ctx, Options{Dest: a.f, Scheme: a.s, Window: 2 * time.Hour, Title: "Garden", Poll: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		b := open(t, ctx, e, p.URL)
		waitPlaying(t, ctx, b, segs[2].Path)
		st := state(t, ctx, b)
		if st.Live || !strings.HasPrefix(st.Age, "Camera offline since ") {
			t.Fatalf("stale footage shown as live=%v, age %q", st.Live, st.Age)
		}
		// Footage arrives again (ship's keeper adds it): LIVE comes back.
		fresh := a.add(t, ctx, now.Add(-30*time.Second))
		k := &Keeper{Dest: a.f, Scheme: a.s}
		k.Note(fresh[0])
		k.Flush(ctx)
		if err := b.WaitFor(ctx, `camshare.state().live && camshare.state().segments === 4`, stateJS); err != nil {
			t.Fatal(err)
		}
	})
}

// Item 4: each share has its own page and index. A later, wider share and
// the keeper's refreshes leave an incident link's two segments alone;
// --list shows both, --revoke removes one.
func TestShareKeepsItsSelection(t *testing.T) {
	everyEngine(t, func(t *testing.T, e browsertest.Engine) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		a := newArchiveS3(t, ctx)
		now := time.Now().UTC().Truncate(time.Minute)
		segs := a.add(t, ctx, minutes(now, 30, 29, 28, 10, 5)...)
		incident, err := Publish(ctx, Options{Dest: a.f, Scheme: a.s, From: segs[0].Start, To: segs[2].Start, Title: "Incident"})
		if err != nil {
			t.Fatal(err)
		}
		if incident.Segments != 2 || incident.Live {
			t.Fatalf("incident share: %+v", incident)
		}
		rolling, err := Publish(ctx, Options{Dest: a.f, Scheme: a.s, Window: time.Hour, Title: "Garden"})
		if err != nil {
			t.Fatal(err)
		}
		if rolling.ID == incident.ID || strings.Split(rolling.URL, "?")[0] == strings.Split(incident.URL, "?")[0] {
			t.Fatalf("two shares, one page: %s %s", incident.URL, rolling.URL)
		}
		k := &Keeper{Dest: a.f, Scheme: a.s}
		k.Note(a.add(t, ctx, now.Add(-time.Minute))[0])
		k.Flush(ctx)

		b := open(t, ctx, e, incident.URL)
		if err := b.WaitFor(ctx, `camshare.state().segments === 2 && camshare.state().played.length > 0`, stateJS); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Second)
		if st := state(t, ctx, b); st.Segments != 2 || st.Live || st.Played[0] != segs[1].Path {
			t.Fatalf("the incident link changed: %+v", st)
		}
		wide := open(t, ctx, e, rolling.URL)
		if err := wide.WaitFor(ctx, `camshare.state().segments === 6`, stateJS); err != nil {
			t.Fatal(err)
		}

		pages, err := List(ctx, a.f, nil)
		if err != nil || len(pages) != 2 {
			t.Fatalf("list: %+v %v", pages, err)
		}
		if err := Revoke(ctx, a.f, incident.ID); err != nil {
			t.Fatal(err)
		}
		resp, err := http.Get(incident.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Fatalf("revoked page still served")
		}
		if pages, _ := List(ctx, a.f, nil); len(pages) != 1 || pages[0].ID != rolling.ID {
			t.Fatalf("after revoke: %+v", pages)
		}
	})
}

// Item 5: the remote goes away for 20 s while the page plays: it says
// "Offline, retrying", skips nothing, and carries on once it is back.
func TestPageOfflineResumes(t *testing.T) {
	everyEngine(t, func(t *testing.T, e browsertest.Engine) {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		a := newArchiveS3(t, ctx)
		now := time.Now().UTC().Truncate(time.Second)
		segs := a.add(t, ctx, minutes(now, 4, 3, 2, 1)...)
		p, err := Publish(ctx, Options{Dest: a.f, Scheme: a.s, Window: time.Hour, Title: "Garden", Poll: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		b := open(t, ctx, e, p.URL)
		waitPlaying(t, ctx, b, segs[3].Path)
		// Back to the oldest; as it plays, the network goes.
		if err := b.Eval(ctx, `document.getElementById("day").dispatchEvent(new Event("change"))`, nil); err != nil {
			t.Fatal(err)
		}
		waitPlaying(t, ctx, b, segs[0].Path)
		a.srv.Stop()
		if err := b.WaitFor(ctx, `document.getElementById("status").textContent === "Offline, retrying\u2026"`, stateJS); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Second)
		if st := state(t, ctx, b); st.Trouble != "offline" || strings.Contains(st.Status, "skip") {
			t.Fatalf("while offline: %+v", st)
		}
		a.srv.Start()
		waitPlaying(t, ctx, b, segs[2].Path)
		st := state(t, ctx, b)
		var order []string
		for _, p := range st.Played {
			if len(order) == 0 || order[len(order)-1] != p {
				order = append(order, p)
			}
		}
		want := []string{segs[3].Path, segs[0].Path, segs[1].Path, segs[2].Path}
		if strings.Join(order[:4], " ") != strings.Join(want, " ") {
			t.Fatalf("played %q, want %q (nothing skipped)", order, want)
		}
		if st.Status == "Offline, retrying\u2026" || st.Trouble != "" {
			t.Errorf("stale message after the network came back: %+v", st)
		}
	})
}

// Item 6: the page says until when it works, in the viewer's words; once
// the link has expired it says so in a sentence (the server's 403 and
// the page's own clock agree), never the server's XML.
func TestPageExpired(t *testing.T) {
	everyEngine(t, func(t *testing.T, e browsertest.Engine) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		a := newArchiveS3(t, ctx)
		now := time.Now().UTC().Truncate(time.Second)
		segs := a.add(t, ctx, minutes(now, 3, 2, 1)...)
		p, err := Publish(ctx, Options{Dest: a.f, Scheme: a.s, Window: time.Hour, Title: "Garden", Poll: time.Second, Expire: 25 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if p.Expires.IsZero() || p.Expires.Sub(time.Now()) > 26*time.Second {
			t.Fatalf("expiry %v", p.Expires)
		}
		b := open(t, ctx, e, p.URL)
		waitPlaying(t, ctx, b, segs[2].Path)
		var want string
		if err := b.Eval(ctx, `"This link works until " + new Intl.DateTimeFormat(navigator.language, {weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit"}).format(new Date(`+jsString(p.Expires.Format(time.RFC3339))+`)) + "."`, &want); err != nil {
			t.Fatal(err)
		}
		if st := state(t, ctx, b); st.Expiry != want {
			t.Fatalf("expiry line %q, want %q", st.Expiry, want)
		}
		resp, err := http.Get(p.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		time.Sleep(time.Until(p.Expires) + time.Second)
		if resp, err = http.Get(p.URL); err != nil || resp.StatusCode != http.StatusForbidden {
			t.Fatalf("the server still serves the expired link: %v %v", resp.StatusCode, err)
		}
		resp.Body.Close()
		sentence := "This link has expired. Ask the person who sent it for a new one."
		if err := b.WaitFor(ctx, `document.getElementById("status").textContent === `+jsString(sentence), stateJS); err != nil {
			t.Fatal(err)
		}
		var text string
		if err := b.Eval(ctx, `document.body.innerText`, &text); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(text, "AccessDenied") || strings.Contains(text, "<Error>") {
			t.Fatalf("page shows the server's XML: %q", text)
		}
	})
}

// Item 8: a page whose rolling window holds no footage any more has
// nothing to press: Earlier, Later, Save and Jump are disabled.
func TestPageEmpty(t *testing.T) {
	everyEngine(t, func(t *testing.T, e browsertest.Engine) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		a := newArchiveS3(t, ctx)
		now := time.Now().UTC().Truncate(time.Second)
		a.add(t, ctx, minutes(now, 50, 49)...)
		p, err := Publish(ctx, Options{Dest: a.f, Scheme: a.s, Window: time.Hour, Title: "Garden", Poll: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		later := func() time.Time { return time.Now().Add(2 * time.Hour) }
		k := &Keeper{Dest: a.f, Scheme: a.s, Now: later}
		k.Flush(ctx)
		b := open(t, ctx, e, p.URL)
		if err := b.WaitFor(ctx, `camshare.state().polls > 0`, stateJS); err != nil {
			t.Fatal(err)
		}
		var disabled []bool
		if err := b.Eval(ctx, `["prev", "next", "save", "latest"].map(id => document.getElementById(id).disabled)`, &disabled); err != nil {
			t.Fatal(err)
		}
		for i, d := range disabled {
			if !d {
				t.Errorf("button %d enabled on an empty page", i)
			}
		}
		if st := state(t, ctx, b); st.Segments != 0 || st.Live || st.Age != "No recordings in this period yet." {
			t.Errorf("empty page state %+v", st)
		}
	})
}
