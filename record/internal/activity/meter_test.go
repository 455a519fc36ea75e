package activity

import (
	"testing"
	"time"
)

// feed gives the Meter n seconds of a 10 fps stream with a key frame every
// gop frames, frame sizes from size(frame index).
func feed(m *Meter, from, n int, gop int, size func(i int) int) []Second {
	for i := from * 10; i < (from+n)*10; i++ {
		m.Frame(time.Duration(i)*100*time.Millisecond, size(i), i%gop == 0)
	}
	return m.Take()
}

// A camera with a dynamic ("smart") GOP inserts a key frame when the scene
// changes: a key frame well before the usual interval marks its second.
func TestEarlyKeyFrame(t *testing.T) {
	m := New(0)
	feed(m, 0, 30, 20, func(int) int { return 1000 })
	// One key frame at 30.5 s, 0.5 s after the one at 30 s.
	for i := 300; i < 320; i++ {
		m.Frame(time.Duration(i)*100*time.Millisecond, 1000, i == 300 || i == 305)
	}
	m.Frame(32*time.Second, 1000, false)
	active := map[int64]bool{}
	for _, s := range m.Take() {
		active[s.Index] = s.Active
	}
	if active[29] || !active[30] || active[31] {
		t.Fatalf("active seconds 29, 30, 31: %v %v %v; want only 30", active[29], active[30], active[31])
	}
}

// A bitrate change is a new steady level: active at first, then the
// baseline follows it within half the window.
func TestBitrateChangeSettles(t *testing.T) {
	m := New(0)
	for _, s := range feed(m, 0, 60, 20, func(int) int { return 1000 }) {
		if s.Active {
			t.Fatalf("a steady stream is active at %d s", s.Index)
		}
	}
	var first, last int64 = -1, -1
	for _, s := range feed(m, 60, window, 20, func(int) int { return 2000 }) {
		if s.Active && first < 0 {
			first = s.Index
		}
		if s.Active {
			last = s.Index
		}
	}
	if first != 60 {
		t.Fatalf("doubling the bitrate at 60 s: first active second %d", first)
	}
	if last-60 > window/2+5 {
		t.Fatalf("still active %d s after the change (want ≤ %d)", last-60, window/2+5)
	}
	t.Logf("a doubled bitrate counted as activity for %d s", last-60+1)
}

// BenchmarkMeter is the cost of one frame (a 15 fps camera: 15 per second).
func BenchmarkMeter(b *testing.B) {
	m := New(0)
	for i := 0; b.Loop(); i++ {
		m.Frame(time.Duration(i)*time.Second/15, 1000+i%200, i%30 == 0)
		if i%15 == 0 {
			m.Take()
		}
	}
}
