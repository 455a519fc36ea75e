package share

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/seal"
	"github.com/camshare/camshare/internal/sidecar"
)

// Issue 14: an encrypted archive's sidecars are sealed like its footage;
// share reads them with the archive key, so the recordings' activity
// reaches --json (Unlinkable: an encrypted archive has no links without
// --page) and the sealed index's per-segment act. Without the key there
// is none, and nothing fails.
func TestSealedSidecarActivity(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s := newPublicS3(t, ctx)
	a := archiveKey(t)
	now := time.Now().UTC().Truncate(time.Second)
	segs := s.addSealed(t, ctx, a, minutes(now, 20, 10)...)
	start := segs[0].Start
	m := &sidecar.Meta{Version: sidecar.Version, Segment: segs[0].Path, Start: start, Duration: 30, Video: "h264"}
	m.Summarize([]sidecar.Second{{At: start.Add(12 * time.Second), Score: 2, Active: true}, {At: start.Add(13 * time.Second), Score: 2, Active: true}})
	plain, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := put(ctx, s.f, s.s.Sidecar(segs[0].Path), sealed(t, plain, a), "application/octet-stream"); err != nil {
		t.Fatal(err)
	}
	want := func(what string, act []int) {
		t.Helper()
		if len(act) != 3 || act[1] != 2 {
			t.Errorf("%s: activity %v, want [0 2 0]", what, act)
		}
	}

	u, err := Unlinkable(ctx, Options{Dest: s.f, Scheme: s.s, Window: time.Hour, Seal: a}, false)
	if err != nil || u == nil || len(u.Recordings) != 2 || len(u.Links) != 0 {
		t.Fatalf("encrypted archive without --page: %+v %v", u, err)
	}
	want("--json", u.Recordings[0].Activity)
	if u.Recordings[1].Activity != nil {
		t.Errorf("a segment without a sidecar has activity %v", u.Recordings[1].Activity)
	}
	if u, _ := Unlinkable(ctx, Options{Dest: s.f, Scheme: s.s, Window: time.Hour}, false); u != nil {
		t.Errorf("no key here: share links (to ciphertext) as before, got %+v", u)
	}
	if _, _, err := Links(ctx, Options{Dest: s.f, Scheme: s.s, Window: time.Hour}); err != nil {
		t.Errorf("no key: %v", err)
	}

	p, err := Publish(ctx, Options{Dest: s.f, Scheme: s.s, Window: time.Hour, Title: "Garden", Seal: a})
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(p.URL, "#k=")
	if i < 0 {
		t.Fatalf("link %s has no key", p.URL)
	}
	linkKey, err := keys.Decode(p.URL[i+3:])
	if err != nil {
		t.Fatal(err)
	}
	obj, err := s.f.NewObject(ctx, shareDir(p.ID)+"/"+docName("", false))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := obj.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !seal.IsSealed(data) {
		t.Fatalf("latest: sealed %v, %v", seal.IsSealed(data), err)
	}
	doc, err := openBytes(data, linkKey)
	if err != nil {
		t.Fatal(err)
	}
	var l latest
	if err := json.Unmarshal(doc, &l); err != nil {
		t.Fatal(err)
	}
	if len(l.Recent) != 2 || l.Recent[0].Path != segs[0].Path {
		t.Fatalf("recent %+v", l.Recent)
	}
	want("index act", l.Recent[0].Act)
	if len(l.Days) != 1 || l.Days[0].Active != 2 {
		t.Errorf("days %+v, want 2 active seconds", l.Days)
	}
}
