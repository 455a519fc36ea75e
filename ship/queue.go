package ship

import (
	"context"
	"sort"
	"sync"
	"time"
)

// item is one closed segment waiting in a camera's folder.
type item struct {
	name     string
	start    time.Time // from the name: the queue's order
	size     int64
	inflight bool   // a transfer is running: the cap cannot delete it now…
	drop     string // …so it marks it, and the worker deletes it after a failed attempt (the reason)
}

// queue holds one camera's waiting segments, oldest first, then by name
// (two names with one start time, e.g. STEM.mp4 and STEM_1.mp4).
type queue struct {
	mu     sync.Mutex
	items  []*item          // sorted
	byName map[string]*item // the same items: a rescan of a long outage's backlog stays cheap
	wake   chan struct{}    // signalled when something is added
}

func newQueue() *queue {
	return &queue{byName: map[string]*item{}, wake: make(chan struct{}, 1)}
}

func before(a, b *item) bool {
	if !a.start.Equal(b.start) {
		return a.start.Before(b.start)
	}
	return a.name < b.name
}

// add queues a segment or updates its size; it reports whether it was new.
func (q *queue) add(name string, start time.Time, size int64) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if it := q.byName[name]; it != nil {
		it.size = size
		return false
	}
	it := &item{name: name, start: start, size: size}
	q.byName[name] = it
	i := sort.Search(len(q.items), func(i int) bool { return before(it, q.items[i]) })
	q.items = append(q.items, nil)
	copy(q.items[i+1:], q.items[i:])
	q.items[i] = it
	select {
	case q.wake <- struct{}{}:
	default:
	}
	return true
}

// waitForMore blocks until something is added or ctx ends (false).
func (q *queue) waitForMore(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return false
	case <-q.wake:
		return true
	}
}

// next marks the oldest segment in flight and returns a copy of it.
func (q *queue) next() (item, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		return item{}, false
	}
	q.items[0].inflight = true
	return *q.items[0], true
}

// done ends a transfer attempt; remove drops the segment from the queue. It
// returns the cap's reason when the cap wanted the segment gone meanwhile and
// the attempt failed: the caller deletes the file.
func (q *queue) done(name string, remove bool) (drop string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, it := range q.items {
		if it.name == name {
			if remove || it.drop != "" {
				q.items = append(q.items[:i], q.items[i+1:]...)
				delete(q.byName, name)
				if !remove {
					return it.drop
				}
			} else {
				it.inflight = false
			}
			return ""
		}
	}
	return ""
}

// keepOnly drops queued segments not in present (deleted behind our back),
// except one in flight.
func (q *queue) keepOnly(present map[string]bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	kept := q.items[:0]
	for _, it := range q.items {
		if present[it.name] || it.inflight {
			kept = append(kept, it)
		} else {
			delete(q.byName, it.name)
		}
	}
	q.items = kept
}

// snapshot copies the queue for the cap (segments already marked to drop
// are left out: they are as good as gone).
func (q *queue) snapshot() []item {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []item
	for _, it := range q.items {
		if it.drop == "" {
			out = append(out, *it)
		}
	}
	return out
}

// take removes name so the cap can delete it (true), or, while it is being
// uploaded, marks it to be deleted if that attempt fails (false).
func (q *queue) take(name, reason string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, it := range q.items {
		if it.name != name {
			continue
		}
		if it.inflight {
			it.drop = reason
			return false
		}
		q.items = append(q.items[:i], q.items[i+1:]...)
		delete(q.byName, name)
		return true
	}
	return false
}

// largest is the size of the biggest waiting segment: what the recorder
// needs room for to write the next one.
func (q *queue) largest() int64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	var n int64
	for _, it := range q.items {
		n = max(n, it.size)
	}
	return n
}

func (q *queue) summary() (n int, bytes int64, first string, start time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, it := range q.items {
		if it.drop == "" {
			bytes += it.size
		}
	}
	if len(q.items) > 0 {
		first, start = q.items[0].name, q.items[0].start
	}
	return len(q.items), bytes, first, start
}
