package livetest

import (
	"bytes"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/camshare/camshare/ship"
)

// TestPartsYieldToSegmentsWithBwLimit: with --bwlimit, no part upload
// starts while a segment is uploading, and every segment still ships.
// (Its own test binary: the limit is process-wide.)
func TestPartsYieldToSegmentsWithBwLimit(t *testing.T) {
	var mu sync.Mutex
	var segs []Request // each segment's attempt: from taking its upload slot to verified on the remote
	rig := Start(t, Options{Segment: 10 * time.Second, BwLimit: "150k", OnShipped: func(sh ship.Shipped) {
		mu.Lock()
		segs = append(segs, Request{Kind: "segment", Start: time.Now().Add(-sh.Took), End: time.Now()})
		mu.Unlock()
	}})
	u := rig.IndexURL(t, "cam1")
	ix := ReadIndex(t, u)
	if ix.Heartbeat == "" {
		t.Fatal("no heartbeat link")
	}
	for end := time.Now().Add(45 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Second) {
		req, _ := http.NewRequest("PUT", ix.Heartbeat, bytes.NewBufferString(fmt.Sprint(time.Now().UnixNano())))
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
		}
	}
	var parts []Request
	mu.Lock()
	defer mu.Unlock()
	for _, r := range rig.Requests() {
		if r.Method == "PUT" && r.Kind == "part" {
			parts = append(parts, r)
		}
	}
	if len(segs) < 2 || len(parts) < 3 {
		t.Fatalf("%d segment and %d part uploads: too few to tell", len(segs), len(parts))
	}
	const slack = 250 * time.Millisecond // a part that passed its check just before the segment began
	for _, s := range segs {
		for _, p := range parts {
			if p.Start.After(s.Start.Add(slack)) && p.Start.Before(s.End) {
				t.Errorf("a part upload started %s into a segment upload of %s", p.Start.Sub(s.Start), s.End.Sub(s.Start))
			}
		}
	}
	if st := rig.Shipper.Stats(); st.Dropped != 0 || st.Failed != 0 {
		t.Errorf("segments dropped or failed: %+v", st)
	}
	t.Logf("%d segment uploads (%s each), %d parts, live %+v", len(segs), segs[0].End.Sub(segs[0].Start), len(parts), rig.Shipper.LiveStats()["cam1"])
}
