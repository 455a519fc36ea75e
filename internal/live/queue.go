package live

import (
	"context"
	"sync"
)

type jobKind int

const (
	jobPart    jobKind = iota + 1 // upload a part (and its segment's init first)
	jobShipped                    // the segment shipped: point the index at it, delete its parts
	jobIndex                      // rewrite the index (watch state changed, links re-signed)
	jobPurge                      // delete a shipped segment's parts
	jobEnd                        // the segment closed: list its size (where its parts end)
)

// job is one thing for the uploader.
type job struct {
	kind   jobKind
	name   string   // the segment's closed name
	file   *segFile // jobPart: its init and type
	data   []byte   // jobPart: the part's bytes (nil: unreadable, skipped)
	part   Part
	remote string // jobShipped: where the segment went
	size   int64  // jobEnd: the closed file's size
}

// queue is the seam between the local side (cutting parts, never waiting)
// and the uploader: bounded, and when full the oldest part goes, because a
// late part is worth less than a new one (the closed segment has it all).
// Index and shipped jobs are never dropped.
type queue struct {
	mu      sync.Mutex
	items   []job
	max     int
	dropped int
	wake    chan struct{}
}

func newQueue(max int) *queue { return &queue{max: max, wake: make(chan struct{}, 1)} }

func (q *queue) push(j job) {
	q.mu.Lock()
	if j.kind == jobPart && q.parts() >= q.max {
		for i, it := range q.items {
			if it.kind == jobPart {
				q.items = append(q.items[:i], q.items[i+1:]...)
				q.dropped++
				break
			}
		}
	}
	q.items = append(q.items, j)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *queue) parts() int {
	n := 0
	for _, it := range q.items {
		if it.kind == jobPart {
			n++
		}
	}
	return n
}

// pop waits for a job; false when ctx ends.
func (q *queue) pop(ctx context.Context) (job, bool) {
	for {
		q.mu.Lock()
		if len(q.items) > 0 {
			j := q.items[0]
			q.items = q.items[1:]
			q.mu.Unlock()
			return j, true
		}
		q.mu.Unlock()
		select {
		case <-ctx.Done():
			return job{}, false
		case <-q.wake:
		}
	}
}

func (q *queue) droppedCount() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.dropped
}
