package sidecar

import (
	"bytes"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/seal"
)

func TestSummarizeAndRoundTrip(t *testing.T) {
	start := time.Date(2026, 12, 2, 10, 15, 0, 0, time.UTC)
	m := &Meta{Version: Version, Camera: "door", Segment: "x.mp4", Start: start, Duration: 25, Video: "h264", Size: 99}
	var secs []Second
	for i := -2; i < 30; i++ {
		active := i == 3 || i == 4 || i == 6 || (i >= 21 && i < 25) || i == 27
		secs = append(secs, Second{At: start.Add(time.Duration(i) * time.Second), Score: 1 + float64(i)/100, Active: active})
	}
	m.Summarize(secs)
	if got := m.Activity; len(got) != 3 || got[0] != 3 || got[1] != 0 || got[2] != 4 {
		t.Fatalf("activity per 10 s = %v, want [3 0 4]", got)
	}
	if m.ActiveSeconds != 7 || len(m.Events) != 2 || m.Events[0].From != 3 || m.Events[0].To != 7 || m.Events[1].From != 21 || m.Events[1].To != 25 {
		t.Fatalf("active %d, events %+v", m.ActiveSeconds, m.Events)
	}
	path := filepath.Join(t.TempDir(), "x.json")
	if err := m.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(path)
	defer f.Close()
	back, err := Read(f, nil)
	if err != nil || back.ActiveSeconds != 7 || !back.Start.Equal(start) || back.Camera != "door" {
		t.Fatalf("read back %+v, %v", back, err)
	}
}

func TestSealed(t *testing.T) {
	var k seal.Key
	rand.Read(k[:])
	b, _ := (&Meta{Version: Version, ActiveSeconds: 2}).Marshal()
	sealed, err := seal.Encrypt(bytes.NewReader(b), k, seal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	buf.ReadFrom(sealed)
	if _, err := Read(bytes.NewReader(buf.Bytes()), nil); !errors.Is(err, ErrSealed) {
		t.Fatalf("sealed without a key: %v", err)
	}
	m, err := Read(bytes.NewReader(buf.Bytes()), &k)
	if err != nil || !m.Active() {
		t.Fatalf("sealed with the key: %+v %v", m, err)
	}
}
