// Package backoff is camshare's one retry policy, for every peer it talks
// to (a camera, a remote) and for restarting its own parts.
//
// A peer that was reached before and now does not answer is most likely
// rebooting or behind a Wi-Fi blip: it is probed cheaply and often (at most
// Probe apart), so recording or shipping resumes within seconds of its
// return. A peer that answers "no" (wrong password, no such path: 401, 403,
// 404) will not change its mind until a person acts, and a peer never
// reached may not exist: those get the long, doubling wait from Min to Max.
// Every wait is jittered (×0.5…1.0) so several recorders behind one flaky
// link do not retry in lockstep.
package backoff

import (
	"math/rand/v2"
	"time"
)

// Failure says what kind of failure a wait follows.
type Failure int

const (
	// Unreachable: no answer (connection refused, timeout, reset).
	Unreachable Failure = iota
	// Failed: an answer that was not what we need (refusal, bad data), or
	// a failure of our own.
	Failed
)

// Policy is the shape of the waits.
type Policy struct {
	Probe    time.Duration // longest wait while a peer seen before is unreachable
	Min, Max time.Duration // doubling from Min to Max otherwise
}

// Default is the policy for cameras and remotes.
var Default = Policy{Probe: 2 * time.Second, Min: time.Second, Max: 30 * time.Second}

// Backoff paces the attempts at one peer; not safe for concurrent use.
type Backoff struct {
	p    Policy
	seen bool          // the peer answered properly at least once
	cur  time.Duration // the last nominal wait; 0 after a success
}

// New starts with a peer never seen.
func New(p Policy) *Backoff { return &Backoff{p: p} }

// Succeeded is called after an attempt that worked: the next failure starts
// from the shortest wait, and outages of this peer are probed often.
func (b *Backoff) Succeeded() { b.seen, b.cur = true, 0 }

// Seen says whether the peer ever answered properly.
func (b *Backoff) Seen() bool { return b.seen }

// Next is the wait before the next attempt after a failure of kind f.
func (b *Backoff) Next(f Failure) time.Duration {
	lo, hi := b.p.Min, b.p.Max
	if f == Unreachable && b.seen {
		lo, hi = min(b.p.Probe/4, b.p.Min), b.p.Probe
	}
	if b.cur == 0 {
		b.cur = lo
	} else {
		b.cur = min(max(b.cur*2, lo), hi)
	}
	return time.Duration(float64(b.cur) * (0.5 + 0.5*rand.Float64()))
}
