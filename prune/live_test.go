package prune

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestSweepLive: parts folders of old segments go, the recent one, the
// index and the heartbeat stay; a retention run never counts parts as
// footage.
func TestSweepLive(t *testing.T) {
	root := t.TempDir()
	s := utc(t)
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	segs := seed(t, root, s, 2, 3)
	old := s.LivePart(s.Name(now.Add(-2*time.Hour)), 1)
	recent := s.LivePart(s.Name(now.Add(-time.Minute)), 1)
	for _, p := range []string{old, recent, "live/index.json", "live/watch", s.LiveInit(s.Name(now.Add(-2 * time.Hour)))} {
		writeFile(t, root, p, "part")
	}
	ctx := context.Background()
	f := openLocal(t, root)
	res, err := Run(ctx, Options{Dest: f, Scheme: s, Keep: 5000 * 24 * time.Hour, Now: at(now)})
	if err != nil || res.DeletedFiles != 0 {
		t.Fatalf("retention run: %+v %v", res, err)
	}
	n, err := SweepLive(ctx, f, s, 5*time.Minute, now, false)
	if err != nil || n != 1 {
		t.Fatalf("swept %d, %v; want 1", n, err)
	}
	all, _ := files(t, root)
	var live []string
	for _, p := range all {
		if strings.HasPrefix(p, "live/") {
			live = append(live, p)
		}
	}
	sameSet(t, "live/ after the sweep", live, []string{recent, "live/index.json", "live/watch"})
	if len(all)-len(live) != len(segs) {
		t.Errorf("segments touched: %d files outside live/, want %d", len(all)-len(live), len(segs))
	}
}
