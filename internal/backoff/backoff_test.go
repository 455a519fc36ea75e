package backoff

import (
	"testing"
	"time"
)

// TestProbesSeenPeersOften: issue 11 #6. After a 60 s outage the camera's
// backoff had grown to 30 s; a peer seen before is probed at most Probe
// apart however long the outage, while refusals and peers never seen back
// off to Max.
func TestProbesSeenPeersOften(t *testing.T) {
	b := New(Default)
	var longest time.Duration
	for range 20 { // never seen: grows
		longest = max(longest, b.Next(Unreachable))
	}
	if longest <= Default.Probe {
		t.Errorf("a peer never seen: longest wait %v, want the long backoff", longest)
	}
	b.Succeeded()
	for i := range 100 { // a 60 s outage and more
		if d := b.Next(Unreachable); d > Default.Probe {
			t.Fatalf("outage attempt %d of a peer seen before: wait %v, want <= %v", i, d, Default.Probe)
		}
	}
	var refused time.Duration
	for range 20 {
		refused = max(refused, b.Next(Failed))
	}
	if refused <= Default.Probe || refused > Default.Max {
		t.Errorf("refusals: longest wait %v, want in (%v, %v]", refused, Default.Probe, Default.Max)
	}
	b.Succeeded()
	if d := b.Next(Failed); d > Default.Min {
		t.Errorf("first wait after a success %v, want <= %v", d, Default.Min)
	}
}
