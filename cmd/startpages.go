package cmd

import (
	"context"
	"runtime/debug"
	"time"
)

// releaseStartupPages gives back, once start-up is over, the memory that
// only start-up needed. camshare is one binary with every rclone backend
// compiled in; their initialisation at start touches some 35 MB of the
// executable's code and read-only data, which then stay counted in the
// process's resident set although a recorder never runs them again. Those
// pages are file-backed and clean, so dropping them from this process
// loses nothing: a page used again is mapped back from the page cache on
// its first touch (dropExecutablePages, startpages_*.go). The heap that
// start-up freed goes back to the system too.
func releaseStartupPages(ctx context.Context, after time.Duration) {
	t := time.NewTimer(after)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return
	case <-t.C:
	}
	debug.FreeOSMemory()
	dropExecutablePages()
}
