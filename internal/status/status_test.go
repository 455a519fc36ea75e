package status

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWriteReadRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "s.json")
	now := time.Now().Truncate(time.Second)
	in := State{Updated: now, PID: 42, Interval: Duration(5 * time.Second),
		Cameras: []Camera{{Name: "door", Connected: true, Since: now, LastSegment: "a.mp4", LastSegmentSize: 1234}},
		Ship:    Ship{Queued: 2, Oldest: now.Add(-time.Minute)}}
	if err := Write(p, in); err != nil {
		t.Fatal(err)
	}
	out, err := Read(p)
	if err != nil {
		t.Fatal(err)
	}
	if out.PID != 42 || time.Duration(out.Interval) != 5*time.Second || len(out.Cameras) != 1 ||
		out.Cameras[0].LastSegmentSize != 1234 || !out.Ship.Oldest.Equal(in.Ship.Oldest) {
		t.Fatalf("got %+v", out)
	}
	// No temp files left behind.
	entries, _ := os.ReadDir(filepath.Dir(p))
	if len(entries) != 1 {
		t.Fatalf("folder holds %d files", len(entries))
	}
	if _, err := Read(filepath.Join(t.TempDir(), "none.json")); err == nil || !strings.Contains(err.Error(), "has not run") {
		t.Fatalf("missing file: %v", err)
	}
}

func TestProblems(t *testing.T) {
	now := time.Now()
	healthy := State{Updated: now.Add(-2 * time.Second), Interval: Duration(5 * time.Second),
		Cameras: []Camera{{Name: "door", Connected: true, Since: now.Add(-time.Hour)},
			{Name: "yard", Connected: false, Since: now.Add(-time.Minute)}}, // down, but not for long
		Ship: Ship{Queued: 1, Oldest: now.Add(-5 * time.Minute)}}
	if p := Problems(healthy, now, Limits{}); len(p) != 0 {
		t.Fatalf("healthy state has problems: %v", p)
	}
	sick := healthy
	sick.Updated = now.Add(-10 * time.Minute)
	sick.Cameras = []Camera{{Name: "door", Connected: false, Since: now.Add(-20 * time.Minute), LastError: "connection refused"},
		{Name: "yard", Stopped: true, LastError: "401 unauthorized"}}
	sick.Ship = Ship{Queued: 30, QueuedBytes: 3e9, Oldest: now.Add(-3 * time.Hour), Outage: true}
	sick.Disk = Disk{Path: "/data", Free: 1e8, Total: 1e10}
	p := Problems(sick, now, Limits{MinFree: 1e9})
	text := strings.Join(p, "\n")
	for _, w := range []string{"not running", "camera door down for 20m0s: connection refused", "camera yard stopped: 401", "upload queue growing: 30 segments", "disk nearly full"} {
		if !strings.Contains(text, w) {
			t.Errorf("missing %q in:\n%s", w, text)
		}
	}
	stopped := healthy
	stopped.Stopped = now.Add(-time.Minute)
	if p := Problems(stopped, now, Limits{}); len(p) != 1 || !strings.Contains(p[0], "camshare run stopped at") {
		t.Errorf("stopped: %v", p)
	}
	var buf bytes.Buffer
	Report(&buf, sick, now, p)
	if !strings.Contains(buf.String(), "PROBLEM: camera door down") || !strings.Contains(buf.String(), "REMOTE UNREACHABLE") {
		t.Errorf("report:\n%s", buf.String())
	}
}

func TestTrackerFlushes(t *testing.T) {
	p := filepath.Join(t.TempDir(), "s.json")
	tr := NewTracker(p, State{PID: 7})
	tr.Camera("door", func(c *Camera) { c.Connected = true; c.Reconnects = 3 })
	tr.Camera("yard", func(c *Camera) {})
	tr.RemoveCamera("yard")
	if err := tr.Flush(); err != nil {
		t.Fatal(err)
	}
	s, err := Read(p)
	if err != nil || len(s.Cameras) != 1 || s.Cameras[0].Reconnects != 3 || time.Since(s.Updated) > time.Minute {
		t.Fatalf("%+v %v", s, err)
	}
}

func TestDiskUsage(t *testing.T) {
	free, total, err := DiskUsage(t.TempDir())
	if err != nil || total <= 0 || free < 0 || free > total {
		t.Fatalf("free %d total %d err %v", free, total, err)
	}
}
