package share

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/archive"
	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

// RefreshIndex keeps the page's selection and expiry from the stored index,
// reuses links with enough life left, and renews those that would run out.
func TestRefreshReusesLinks(t *testing.T) {
	ctx := context.Background()
	srv := rclonetest.S3(t)
	f, err := remote.Open(ctx, srv.Remote+"/cam")
	if err != nil {
		t.Fatal(err)
	}
	s := utcScheme(t)
	now := time.Now().UTC().Truncate(time.Second)
	first := upload(t, ctx, f, s, now.Add(-20*time.Minute), []byte("a"))
	upload(t, ctx, f, s, now.Add(-3*time.Hour), []byte("old")) // outside the 2h window

	if _, _, err := WritePage(ctx, Options{Dest: f, Scheme: s, Window: 2 * time.Hour, Expire: 3 * 24 * time.Hour, Title: "Cam"}); err != nil {
		t.Fatal(err)
	}
	before := readStored(t, srv.Root+"/cam")
	if before.WindowSeconds != 7200 || before.ExpireSeconds != 3*86400 || !before.Live || len(before.Segments) != 1 {
		t.Fatalf("stored index: %+v", before)
	}

	second := upload(t, ctx, f, s, now.Add(-10*time.Minute), []byte("b"))
	// An hour on (as ship sees it): a fresh link would expire an hour later.
	hourOn := func() time.Time { return now.Add(time.Hour) }
	if err := RefreshIndex(ctx, Options{Dest: f, Scheme: s, Now: hourOn}); err != nil {
		t.Fatal(err)
	}
	after := readStored(t, srv.Root+"/cam")
	if len(after.Segments) != 2 || after.Segments[1].Path != second || after.Title != "Cam" {
		t.Fatalf("after refresh: %+v", after)
	}
	if after.Segments[0].URL != before.Segments[0].URL || !after.Segments[0].Expires.Equal(before.Segments[0].Expires) || after.Segments[0].Path != first {
		t.Errorf("a link with days left was not reused")
	}
	if d := after.Segments[1].Expires.Sub(hourOn()); d < 3*24*time.Hour-time.Minute || d > 3*24*time.Hour+time.Minute {
		t.Errorf("new link expires in %v, want the page's 3d", d)
	}

	// Two days on, the first link has one day of three left: renewed.
	later := now.Add(2 * 24 * time.Hour)
	if err := RefreshIndex(ctx, Options{Dest: f, Scheme: s, From: now.Add(-time.Hour), Now: func() time.Time { return later }}); err != nil {
		t.Fatal(err)
	}
	renewed := readStored(t, srv.Root+"/cam")
	if len(renewed.Segments) != 2 || !renewed.Segments[0].Expires.Equal(later.Add(3*24*time.Hour)) {
		t.Errorf("links not renewed near expiry: %+v", renewed.Segments)
	}
	if renewed.WindowSeconds != 0 || renewed.From == nil {
		t.Errorf("an explicit selection should replace the stored one: %+v", renewed)
	}
}

func readStored(t *testing.T, dir string) index {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, IndexName))
	if err != nil {
		t.Fatal(err)
	}
	var ix index
	if err := json.Unmarshal(raw, &ix); err != nil {
		t.Fatal(err)
	}
	return ix
}

// ship --update-page hands over the segment it just uploaded: the index is
// renewed without listing the remote.
func TestRefreshAddedWithoutListing(t *testing.T) {
	ctx := context.Background()
	srv := rclonetest.S3(t)
	f, err := remote.Open(ctx, srv.Remote+"/cam")
	if err != nil {
		t.Fatal(err)
	}
	s := utcScheme(t)
	now := time.Now().UTC().Truncate(time.Second)
	upload(t, ctx, f, s, now.Add(-20*time.Minute), []byte("a"))
	if _, _, err := WritePage(ctx, Options{Dest: f, Scheme: s, Window: time.Hour}); err != nil {
		t.Fatal(err)
	}
	p := upload(t, ctx, f, s, now.Add(-5*time.Minute), []byte("bb"))
	counted := rclonetest.Count(f)
	added := []archive.Segment{{Path: p, Start: now.Add(-5 * time.Minute), Size: 2}}
	if err := RefreshIndex(ctx, Options{Dest: counted, Scheme: s, Added: added}); err != nil {
		t.Fatal(err)
	}
	if n := counted.Lists(); n != 0 {
		t.Errorf("refresh with the added segment listed %d folders: %q", n, counted.Listed())
	}
	ix := readStored(t, srv.Root+"/cam")
	if len(ix.Segments) != 2 || ix.Segments[1].Path != p || ix.Segments[1].URL == "" {
		t.Fatalf("index after refresh: %+v", ix.Segments)
	}
	if body := fetch(t, ix.Segments[1].URL); string(body) != "bb" {
		t.Errorf("new link serves %q", body)
	}
}
