package supervisor

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"
)

// A part that panics is recovered and started again; one that returns an
// error is restarted too; cancelling stops it.
func TestKeepRecoversPanicsAndRestarts(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var runs, exits atomic.Int64
	p := part{name: "flaky", log: slog.New(slog.DiscardHandler), minWait: time.Millisecond, maxWait: 10 * time.Millisecond,
		onExit: func(error) { exits.Add(1) }}
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.keep(ctx, func(ctx context.Context) error {
			switch runs.Add(1) {
			case 1:
				panic("boom")
			case 2:
				return errors.New("camera said 401")
			}
			<-ctx.Done()
			return nil
		})
	}()
	deadline := time.After(30 * time.Second)
	for runs.Load() < 3 {
		select {
		case <-deadline:
			t.Fatalf("only %d runs", runs.Load())
		case <-time.After(5 * time.Millisecond):
		}
	}
	cancel()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("keep did not return after cancel")
	}
	if runs.Load() != 3 || exits.Load() != 2 {
		t.Fatalf("runs %d exits %d", runs.Load(), exits.Load())
	}
}
