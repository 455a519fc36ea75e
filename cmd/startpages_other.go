//go:build !linux

package cmd

import (
	"context"
	"runtime/debug"
	"time"
)

// releaseStartupPages returns start-up's freed heap to the system; the
// executable's own pages are dropped only on Linux and Android
// (startpages_linux.go), where /proc/self/smaps says which are clean.
func releaseStartupPages(ctx context.Context, after time.Duration) {
	t := time.NewTimer(after)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
		debug.FreeOSMemory()
	}
}
