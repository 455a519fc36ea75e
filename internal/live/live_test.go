package live_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/testkit/livetest"
)

func beat(t *testing.T, u string, body string) {
	t.Helper()
	req, _ := http.NewRequest("PUT", u, bytes.NewBufferString(body))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("heartbeat PUT: HTTP %d: %s", res.StatusCode, b)
	}
}

// TestPartsOnlyWhileWatched: no part before a heartbeat, parts while it is
// fresh (each fetchable through its signed link), none after goodbye.
func TestPartsOnlyWhileWatched(t *testing.T) {
	rig := livetest.Start(t, livetest.Options{Segment: 10 * time.Second})
	u := rig.IndexURL(t, "cam1")
	ix := livetest.ReadIndex(t, u)
	if ix.Heartbeat == "" || ix.Watched {
		t.Fatalf("idle index: %+v", ix)
	}
	time.Sleep(6 * time.Second)
	if n := rig.Count("camshare", "PUT", "part"); n != 0 {
		t.Fatalf("%d parts uploaded while nobody watched", n)
	}
	deadline := time.Now().Add(40 * time.Second)
	seen := map[string]bool{}
	for i := 0; time.Now().Before(deadline) && len(seen) < 6; i++ {
		beat(t, ix.Heartbeat, fmt.Sprint(time.Now().UnixNano()))
		time.Sleep(2 * time.Second)
		cur := livetest.ReadIndex(t, u)
		for _, g := range cur.Segments {
			for _, p := range g.Parts {
				if seen[p.Path] {
					continue
				}
				seen[p.Path] = true
				res, err := http.Get(p.URL)
				if err != nil || res.StatusCode != 200 {
					t.Fatalf("part %s: %v %v", p.Path, err, res.Status)
				}
				res.Body.Close()
			}
		}
	}
	if len(seen) < 6 {
		t.Fatalf("only %d parts listed while watched; counts %v", len(seen), rig.Counts())
	}
	beat(t, ix.Heartbeat, "")
	time.Sleep(7 * time.Second)
	before := rig.Count("camshare", "PUT", "part")
	time.Sleep(8 * time.Second)
	if after := rig.Count("camshare", "PUT", "part"); after != before {
		t.Fatalf("parts still uploading after goodbye: %d → %d", before, after)
	}
	t.Logf("counts %v stats %+v", rig.Counts(), rig.Shipper.LiveStats())
}
