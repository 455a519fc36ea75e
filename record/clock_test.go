package record

import (
	"errors"
	"testing"
	"time"
)

func TestNextBoundary(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string, loc *time.Location) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04:05.000", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		t    string
		d    time.Duration
		loc  *time.Location
		want string
	}{
		{"2024-03-23 10:17:42.000", 5 * time.Minute, time.UTC, "2024-03-23 10:20:00.000"},
		{"2024-03-23 10:20:00.000", 5 * time.Minute, time.UTC, "2024-03-23 10:25:00.000"}, // strictly after
		{"2024-03-23 10:19:59.999", 5 * time.Minute, time.UTC, "2024-03-23 10:20:00.000"},
		{"2024-03-23 10:17:43.500", 2 * time.Second, time.UTC, "2024-03-23 10:17:44.000"},
		// Local time of day, as ffmpeg -segment_atclocktime: -0400 zone.
		{"2024-03-23 10:17:42.000", time.Hour, ny, "2024-03-23 11:00:00.000"},
		// A length that does not divide the day restarts at midnight.
		{"2024-03-23 23:50:00.000", 7 * time.Hour, time.UTC, "2024-03-24 00:00:00.000"},
		{"2024-03-23 22:59:00.000", 7 * time.Minute, time.UTC, "2024-03-23 23:06:00.000"}, // 22:59 = 197×7 min
		{"2024-03-23 23:58:00.000", 7 * time.Minute, time.UTC, "2024-03-24 00:00:00.000"},
		// Spring forward in New York: 01:59 → 03:00; the next 1 h boundary
		// on the clock face is 03:00.
		{"2024-03-10 01:30:00.000", time.Hour, ny, "2024-03-10 03:00:00.000"},
	}
	for _, c := range cases {
		got := nextBoundary(at(c.t, c.loc), c.d, c.loc)
		if want := at(c.want, c.loc); !got.Equal(want) {
			t.Errorf("nextBoundary(%s, %v, %s) = %s, want %s", c.t, c.d, c.loc, got.In(c.loc), want)
		}
	}
}

func TestWallClock(t *testing.T) {
	t0 := time.Date(2024, 3, 23, 10, 0, 0, 0, time.UTC)
	var w wallClock
	w.observe(0, t0)
	if got := w.time(3 * time.Second); !got.Equal(t0.Add(3 * time.Second)) {
		t.Fatalf("mapping %v", got)
	}
	// Jitter and a single late burst (2 s) do not move the mapping.
	for i := 1; i <= 50; i++ {
		pos := time.Duration(i) * 100 * time.Millisecond
		lag := time.Duration(i%7) * 30 * time.Millisecond
		if i == 20 {
			lag = 2 * time.Second
		}
		if c := w.observe(pos, t0.Add(pos+lag)); c != 0 {
			t.Fatalf("moved by %v at frame %d", c, i)
		}
	}
	// Frames arriving well before their mapped time: re-anchor at once.
	if c := w.observe(6*time.Second, t0.Add(4*time.Second)); c != -2*time.Second {
		t.Fatalf("early frames: correction %v", c)
	}
	if got := w.time(6 * time.Second); !got.Equal(t0.Add(4 * time.Second)) {
		t.Fatalf("after re-anchor: %v", got)
	}
	// A camera clock running slow: every frame is ≥ 1.5 s late for a
	// whole window, so the mapping moves by the smallest lateness.
	var moved time.Duration
	for i := 1; i <= 120; i++ {
		pos := 6*time.Second + time.Duration(i)*100*time.Millisecond
		moved += w.observe(pos, t0.Add(4*time.Second+time.Duration(i)*100*time.Millisecond+1500*time.Millisecond))
	}
	if moved != 1500*time.Millisecond {
		t.Fatalf("slow camera: moved %v, want 1.5s", moved)
	}
}

func TestTicks(t *testing.T) {
	// Long-running streams must not overflow: 30 days at 90 kHz.
	month := 30 * 24 * time.Hour
	ticks := durToTicks(month, videoClock)
	if ticks != int64(30*24*3600)*videoClock {
		t.Fatalf("durToTicks = %d", ticks)
	}
	if d := ticksToDur(ticks+45000, videoClock); d != month+500*time.Millisecond {
		t.Fatalf("ticksToDur = %v", d)
	}
	if d := ticksToDur(-4000, 8000); d != -500*time.Millisecond {
		t.Fatalf("negative: %v", d)
	}
}

func TestBackoff(t *testing.T) {
	b := newBackoff(time.Second, 30*time.Second)
	var last time.Duration
	for i := 0; i < 12; i++ {
		d := b.next(errors.New("connection refused"))
		nominal := min(time.Second<<i, 30*time.Second)
		if d < nominal/2 || d > nominal {
			t.Fatalf("attempt %d: %v outside [%v, %v]", i, d, nominal/2, nominal)
		}
		last = d
	}
	if last < 15*time.Second {
		t.Fatalf("not capped near 30s: %v", last)
	}
	b.reset()
	if d := b.next(errors.New("connection refused")); d > time.Second {
		t.Fatalf("after reset: %v", d)
	}
	// Issue 11 #6: a camera that streamed before is probed every <= 2s
	// however long it is gone; one that refuses backs off to 30s.
	for i := 0; i < 40; i++ {
		if d := b.next(errors.New("connection refused")); d > 2*time.Second {
			t.Fatalf("outage attempt %d of a camera seen before: wait %v", i, d)
		}
	}
	refused := &explained{"wrong user name or password (camera answered 401 Unauthorized)", nil}
	for i := 0; i < 12; i++ {
		last = b.next(refused)
	}
	if last < 15*time.Second {
		t.Fatalf("refusals not backed off: %v", last)
	}
}
