package record

import "time"

// nextBoundary is the first segment boundary strictly after t. Boundaries
// are multiples of d counted from local midnight in loc, read off the clock
// face like ffmpeg's -segment_atclocktime 1 does (time of day modulo d), so
// a 5m segment ends at :00, :05, … and midnight always starts a new grid
// (a length that does not divide a day gets one short segment before it).
func nextBoundary(t time.Time, d time.Duration, loc *time.Location) time.Time {
	lt := t.In(loc)
	y, m, day := lt.Date()
	clock := time.Duration(lt.Hour())*time.Hour + time.Duration(lt.Minute())*time.Minute +
		time.Duration(lt.Second())*time.Second + time.Duration(lt.Nanosecond())
	next := (clock/d + 1) * d
	if next >= 24*time.Hour {
		return time.Date(y, m, day+1, 0, 0, 0, 0, loc)
	}
	// time.Date normalises the clock reading, so DST days land where the
	// clock face says, as ffmpeg's localtime arithmetic does. A reading the
	// clock skips (02:30 on a spring-forward night) may normalise to before
	// t: step on in real time until it is after.
	b := time.Date(y, m, day, 0, 0, 0, int(next), loc)
	for !b.After(t) {
		b = b.Add(min(d, time.Hour))
	}
	return b
}

// maxDrift is how far the stream's clock may wander from ours before the
// mapping is re-anchored.
const maxDrift = time.Second

// driftWindow is how much stream time the lateness minimum is taken over.
const driftWindow = 10 * time.Second

// wallClock maps stream time (decoded RTP timestamps, as a duration) to the
// wall clock. It is anchored at the first frame's arrival. Arrival times
// are late by network and camera buffering, never early, so the mapping
// moves earlier at once when a frame arrives well before its mapped time,
// and later only when every frame over a window arrived more than maxDrift
// late (the camera clock runs slow): one late burst does not move it.
type wallClock struct {
	set       bool
	wall      time.Time     // wall time of stream position at
	at        time.Duration // stream position of the anchor
	winStart  time.Duration // stream position the current window began at
	winMinLag time.Duration // smallest lateness seen in the window
}

// reset forgets the anchor (new connection, timestamp jump).
func (w *wallClock) reset() { w.set = false }

// time maps a stream position to the wall clock.
func (w *wallClock) time(pos time.Duration) time.Time { return w.wall.Add(pos - w.at) }

// observe feeds one frame's stream position and arrival time. It returns
// the correction applied to the mapping (zero when none).
func (w *wallClock) observe(pos time.Duration, arrival time.Time) time.Duration {
	if !w.set {
		*w = wallClock{set: true, wall: arrival, at: pos, winStart: pos, winMinLag: 1<<63 - 1}
		return 0
	}
	lag := arrival.Sub(w.time(pos))
	if lag < -maxDrift {
		w.wall, w.at = arrival, pos
		w.winStart, w.winMinLag = pos, 1<<63-1
		return lag
	}
	w.winMinLag = min(w.winMinLag, lag)
	if pos-w.winStart < driftWindow {
		return 0
	}
	corr := time.Duration(0)
	if w.winMinLag > maxDrift {
		corr = w.winMinLag
		w.wall = w.wall.Add(corr)
	}
	w.winStart, w.winMinLag = pos, 1<<63-1
	return corr
}

// ticksToDur converts a timestamp in ticks of rate Hz to a duration without
// overflowing for long-running streams.
func ticksToDur(ticks int64, rate int) time.Duration {
	r := int64(rate)
	return time.Duration(ticks/r)*time.Second + time.Duration((ticks%r)*int64(time.Second)/r)
}

// durToTicks is the inverse of ticksToDur, rounded to the nearest tick so
// that ticks → duration → ticks gives back the same ticks (a 90 kHz tick is
// not a whole number of nanoseconds).
func durToTicks(d time.Duration, rate int) int64 {
	r := int64(rate)
	ticks, rem := int64(d%time.Second)*r/int64(time.Second), int64(d%time.Second)*r%int64(time.Second)
	switch {
	case 2*rem >= int64(time.Second):
		ticks++
	case 2*rem <= -int64(time.Second):
		ticks--
	}
	return int64(d/time.Second)*r + ticks
}
