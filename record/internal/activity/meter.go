// Package activity scores how much a camera's picture changes from the
// compressed stream alone: no pixel is decoded. An encoder spends bytes on
// what differs from the previous picture, so the size of each predicted
// (non-key) frame rises with motion. The Meter compares each second's mean
// predicted-frame size with a rolling baseline of the same camera's recent
// seconds; a second well above its baseline is active. docs/activity.md says
// what this catches and what fools it.
package activity

import (
	"math"
	"slices"
	"time"
)

const (
	// window is how many recent seconds the baseline of a second's score is
	// taken over. Motion that lasts less than half of it cannot move the
	// median, so a visitor walking about for a minute stays active; a new
	// steady level (a bitrate change, lights left on, IR switching on) stops
	// counting as activity within half of it.
	window = 120
	// frameWindow is how many recent frames at one place in the GOP the size
	// baseline of that place is the median of (60 GOPs: two minutes of a
	// camera with a key frame every two seconds).
	frameWindow = 60
	// maxPlaces bounds the places in a GOP tracked apart; frames further from
	// their key frame share the last one (long or "smart" GOPs).
	maxPlaces = 256
	// warmup: a place needs this many frames before its baseline counts.
	warmup = 2
	// judgeAfter: seconds are judged once this many have been scored (a
	// spread from fewer is a guess).
	judgeAfter = 6
	// DefaultSensitivity is what New(0) means.
	DefaultSensitivity = 1.0
	// relative is how far above its baseline a second must be at sensitivity
	// 1: on a still scene, noisy or not, rate control keeps a second's frames
	// within ~15% of the same seconds before.
	relative = 0.15
	// spreads is how many robust standard deviations (from the median
	// absolute deviation of recent seconds) above the baseline a second must
	// be at sensitivity 1: on a scene whose frame sizes jump about (rain,
	// leaves, IR noise) the bar rises with them.
	spreads = 6.0
	// spike: one frame this many times its baseline is a sudden change of
	// the whole picture (a light switched on or off, the camera knocked):
	// the encoder codes it almost like a key frame. It is diluted in a
	// second's mean, so it counts on its own.
	spike = 5.0
	// earlyKey: a key frame sooner than this fraction of the usual key frame
	// interval is one the encoder inserted for a scene change (cameras with a
	// "smart" or dynamic GOP do that on motion), so its second is active.
	earlyKey = 0.5
)

// Second is the score of one second of stream time.
type Second struct {
	Index  int64   // floor(stream position / 1 s)
	Score  float64 // its non-key frames' size over their baseline: ~1 still, higher with change; 0 = no frame to judge (warming up, key frames only)
	Active bool
}

// Meter scores one camera's stream, second by second. The zero value is not
// usable; see New. Not safe for concurrent use.
//
// Encoders do not spend bytes evenly over a GOP: the frames just after a
// key frame are often bigger (rate control paying back the key frame, or
// refining its picture). So a frame is compared with the recent frames at
// the same place after their key frame, and a second's score is the mean of
// its frames' ratios.
type Meter struct {
	sens    float64
	started bool
	cur     int64   // index of the second being filled
	sum     float64 // its frames' ratios
	frames  int     // and how many
	early   bool    // an early key frame fell in it
	spiked  bool    // a frame in it was a spike

	place  int         // frames since the last key frame
	places [][]float64 // recent sizes per place, oldest first, up to frameWindow
	scores []float64   // recent second scores, oldest first, up to window
	quiet  []float64   // the same, of the seconds found not active: their spread is the noise
	sorted []float64   // scratch for medians

	lastKey time.Duration
	hasKey  bool
	gaps    []time.Duration // recent key frame intervals, up to keyGaps

	done []Second
}

const keyGaps = 8

// New makes a Meter; sensitivity 0 is DefaultSensitivity, higher marks more
// seconds active (2 halves the bars).
func New(sensitivity float64) *Meter {
	if sensitivity <= 0 {
		sensitivity = DefaultSensitivity
	}
	return &Meter{sens: sensitivity}
}

// Frame takes one frame at stream position pos (increasing) of size bytes.
// Seconds before pos's second are complete after it (see Take).
func (m *Meter) Frame(pos time.Duration, size int, key bool) {
	sec := int64(math.Floor(pos.Seconds()))
	if !m.started {
		m.started, m.cur = true, sec
	}
	for m.cur < sec {
		m.endSecond()
	}
	if key {
		m.keyFrame(pos)
		return
	}
	if !m.hasKey {
		return // no place in a GOP yet
	}
	m.place++
	p := min(m.place, maxPlaces) - 1
	for len(m.places) <= p {
		m.places = append(m.places, nil)
	}
	if h := m.places[p]; len(h) >= warmup {
		if base := m.median(h); base > 0 {
			r := float64(size) / base
			m.sum += r
			m.frames++
			m.spiked = m.spiked || r >= spike/m.sens
		}
	}
	m.places[p] = push(m.places[p], float64(size), frameWindow)
}

// keyFrame notes a key frame's time; one well before the usual interval
// marks its second.
func (m *Meter) keyFrame(pos time.Duration) {
	if m.hasKey && pos > m.lastKey {
		gap := pos - m.lastKey
		if len(m.gaps) >= 3 {
			usual := slices.Clone(m.gaps)
			slices.Sort(usual)
			if float64(gap) < earlyKey*float64(usual[len(usual)/2]) {
				m.early = true
			}
		}
		m.gaps = append(m.gaps, gap)
		if len(m.gaps) > keyGaps {
			m.gaps = m.gaps[1:]
		}
	}
	m.lastKey, m.hasKey, m.place = pos, true, 0
}

// Flush completes the second being filled (end of stream, reconnect: the
// next frames start a new GOP count).
func (m *Meter) Flush() {
	if m.started {
		m.endSecond()
	}
	m.started, m.hasKey = false, false
}

// Take returns the seconds completed since the last call.
func (m *Meter) Take() []Second {
	out := m.done
	m.done = nil
	return out
}

// endSecond scores the current second against the recent ones before
// adding it to them, and moves on to the next.
func (m *Meter) endSecond() {
	s := Second{Index: m.cur}
	if m.frames > 0 {
		s.Score = m.sum / float64(m.frames)
		s.Active = m.above(s.Score)
		m.scores = push(m.scores, s.Score, window)
		if !s.Active {
			m.quiet = push(m.quiet, s.Score, window)
		}
	}
	if m.early || m.spiked {
		s.Active = true
	}
	m.done = append(m.done, s)
	m.cur++
	m.sum, m.frames, m.early, m.spiked = 0, 0, false, false
}

// above says whether a second's score stands out from the recent seconds':
// by a fixed share of their median and by several spreads of the quiet ones
// (a long event must not widen the bar it is measured against).
func (m *Meter) above(score float64) bool {
	if len(m.scores) < judgeAfter {
		return false
	}
	base := m.median(m.scores)
	mid := m.median(m.quiet)
	for i, v := range m.quiet {
		m.sorted[i] = math.Abs(v - mid)
	}
	spread := 1.4826 * medianOf(m.sorted[:len(m.quiet)])
	bar := max(base*relative, spreads*spread) / m.sens
	return score > base+bar
}

// median of v, sorting a copy in m.sorted.
func (m *Meter) median(v []float64) float64 {
	m.sorted = append(m.sorted[:0], v...)
	return medianOf(m.sorted)
}

// push appends v to h, dropping the oldest beyond n.
func push(h []float64, v float64, n int) []float64 {
	if len(h) == n {
		copy(h, h[1:])
		h = h[:n-1]
	}
	return append(h, v)
}

// medianOf sorts v in place and returns its median.
func medianOf(v []float64) float64 {
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}
