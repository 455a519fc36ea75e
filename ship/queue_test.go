package ship

import (
	"testing"
	"time"
)

// The queue hands out oldest first, then by name, whatever the order of
// arrival; sizes update in place; the cap's take respects a transfer.
func TestQueueOrder(t *testing.T) {
	q := newQueue()
	t0 := time.Date(2024, 3, 23, 10, 0, 0, 0, time.UTC)
	q.add("c.mp4", t0.Add(2*time.Minute), 1)
	q.add("b_1.mp4", t0.Add(time.Minute), 1)
	q.add("b.mp4", t0.Add(time.Minute), 1)
	q.add("a.mp4", t0, 1)
	if q.add("a.mp4", t0, 5) {
		t.Fatal("a.mp4 added twice")
	}
	if n, bytes, first, _ := q.summary(); n != 4 || bytes != 8 || first != "a.mp4" {
		t.Fatalf("summary %d %d %s", n, bytes, first)
	}
	it, _ := q.next()
	if it.name != "a.mp4" || q.take("a.mp4", "cap") {
		t.Fatalf("next %s; take of an in-flight segment must defer", it.name)
	}
	if drop := q.done("a.mp4", false); drop != "cap" {
		t.Fatalf("failed attempt of a marked segment: drop %q", drop)
	}
	var got []string
	for {
		it, ok := q.next()
		if !ok {
			break
		}
		got = append(got, it.name)
		q.done(it.name, true)
	}
	if want := "b.mp4 b_1.mp4 c.mp4"; join(got) != want {
		t.Fatalf("order %q, want %q", join(got), want)
	}
	if q.add("b.mp4", t0, 1) != true {
		t.Fatal("a shipped name is new again")
	}
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}
