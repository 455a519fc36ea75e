// Package livebench measures the near-live view end to end (run it with
// bench/live.sh): test camera → recorder → shipper with live parts →
// rclone's S3 server → a headless Chromium page running share/page/live.js.
//
//   - delay: every half second while watching, the page's newest picture
//     shown (video.currentTime mapped to the wall time of that frame, which
//     the index carries from the recorder's segment start) against the
//     clock; p50/p95 over the watch;
//   - the reference, measured in the same run: what a page showing only
//     closed segments (camshare without live parts) could show at the same
//     instants, the end of the newest segment on the remote;
//   - requests: everything the live view asks of the bucket (heartbeat,
//     index, init, parts, part listings and deletes; not the segments
//     themselves), counted at an HTTP front in front of the server, per hour
//     while nobody watches and while one page does.
package livebench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/testkit/browsertest"
	"github.com/camshare/camshare/internal/testkit/livetest"
	"github.com/camshare/camshare/ship"
)

const page = `<!doctype html><meta charset="utf-8"><title>live bench</title>
<video id="v" muted autoplay playsinline style="width:320px"></video>
<script type="module">
import { startLive } from "./live.js";
const q = new URLSearchParams(location.hash.slice(1));
window.view = startLive(document.getElementById("v"), q.get("index"), q.get("k") || null, () => {});
</script>`

func seconds(name string, def int) time.Duration {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return time.Duration(v) * time.Second
	}
	return time.Duration(def) * time.Second
}

// liveRequests is every request of the live view, camshare's and the page's.
func liveRequests(r *livetest.Rig) int {
	n := 0
	for _, kind := range []string{"heartbeat", "index", "init", "part", "other"} {
		n += r.Count(kind)
	}
	return n
}

func pct(v []float64, p float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

func TestLiveBench(t *testing.T) {
	watch, idle, segment := seconds("SECS", 120), seconds("IDLE", 60), seconds("SEGMENT", 60)
	var mu sync.Mutex
	var shipped []ship.Shipped
	var shippedAt []time.Time
	rig := livetest.Start(t, livetest.Options{Segment: segment, Page: page, Encrypt: os.Getenv("ENCRYPT") != "",
		OnShipped: func(sh ship.Shipped) {
			mu.Lock()
			shipped, shippedAt = append(shipped, sh), append(shippedAt, time.Now())
			mu.Unlock()
		}})
	index := rig.IndexURL(t, "cam1")
	ctx := context.Background()

	rig.ResetCounts()
	time.Sleep(idle)
	idleReq := float64(liveRequests(rig)) / idle.Hours()
	fmt.Printf("idle: %d live-view requests in %s (%.0f/hour; heartbeat HEADs: %d)\n", liveRequests(rig), idle, idleReq, rig.Count("HEAD", "heartbeat"))

	u := rig.Front + "/page/index.html#index=" + url.QueryEscape(index)
	if k := rig.LiveKey(); k != "" {
		u += "&k=" + k
	}
	rig.ResetCounts()
	began := time.Now()
	p := browsertest.Open(ctx, t, browsertest.Chromium, u, browsertest.Options{})
	var delays, ref []float64
	var first time.Duration
	for time.Since(began) < watch {
		time.Sleep(500 * time.Millisecond)
		var s string
		if err := p.Eval(ctx, `JSON.stringify(window.view ? window.view.state() : {})`, &s); err != nil {
			t.Fatal(err)
		}
		var st struct {
			State       string   `json:"state"`
			Delay       *float64 `json:"delay"`
			StartedAt   float64  `json:"startedAt"`
			FirstPlayAt *float64 `json:"firstPlayAt"`
		}
		if err := json.Unmarshal([]byte(s), &st); err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		if st.State == "live" && st.Delay != nil {
			if first == 0 && st.FirstPlayAt != nil {
				first = time.Duration((*st.FirstPlayAt - st.StartedAt) * float64(time.Millisecond))
			}
			delays = append(delays, *st.Delay)
		}
		mu.Lock()
		for i := len(shipped) - 1; i >= 0; i-- {
			if !shippedAt[i].After(now) {
				ref = append(ref, now.Sub(shipped[i].Start.Add(segment)).Seconds())
				break
			}
		}
		mu.Unlock()
	}
	watchedReq := float64(liveRequests(rig)) / time.Since(began).Hours()
	fmt.Printf("watched %s: first picture %.1f s after the page started; page %d requests, camshare %d (parts %d, index %d, heartbeat PUT %d, HEAD %d)\n",
		watch, first.Seconds(), rig.Count("page"), rig.Count("camshare")-rig.Count("camshare", "segment"),
		rig.Count("PUT", "part"), rig.Count("PUT", "index"), rig.Count("PUT", "heartbeat"), rig.Count("HEAD", "heartbeat"))
	if len(delays) == 0 {
		t.Fatalf("the page never played live")
	}
	p50, p95 := pct(delays, 0.5), pct(delays, 0.95)
	fmt.Printf("delay camera → page, live parts: p50 %.1f s, p95 %.1f s over %d samples\n", p50, p95, len(delays))
	if len(ref) > 0 {
		r50, r95 := pct(ref, 0.5), pct(ref, 0.95)
		fmt.Printf("delay camera → page, closed segments only (same run, %s segments): p50 %.1f s, p95 %.1f s; ratio p95 live/closed %.3f\n",
			segment, r50, r95, p95/r95)
	} else {
		fmt.Printf("closed segments only: no segment shipped during the watch (SEGMENT %s ≥ SECS)\n", segment)
	}
	fmt.Printf("delay_p50_s=%.1f delay_p95_s=%.1f idle_requests_per_hour=%.0f watched_requests_per_hour=%.0f\n", p50, p95, idleReq, watchedReq)
}
