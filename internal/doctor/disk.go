package doctor

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/camshare/camshare/internal/status"
	"github.com/camshare/camshare/internal/units"
)

// lowDisk is when free space deserves a warning even without min_free: an
// hour of outage at a few Mbit/s per camera.
const lowDisk = 2 << 30

// checkDisk looks at the file system recordings wait on.
func checkDisk(o Options) []Result {
	dir := o.Config.Dir
	r := Result{Name: "disk"}
	// The folder may not exist before the first run: measure its parent.
	probe := dir
	for {
		if _, err := os.Stat(probe); err == nil || filepath.Dir(probe) == probe {
			break
		}
		probe = filepath.Dir(probe)
	}
	free, total, err := status.DiskUsage(probe)
	if err != nil {
		r.Level, r.Detail = Warn, fmt.Sprintf("cannot read free space of %s: %v", dir, err)
		return []Result{r}
	}
	r.Level = Pass
	r.Detail = fmt.Sprintf("%s free of %s at %s", units.FormatSize(free), units.FormatSize(total), dir)
	switch min := o.Config.MinFree; {
	case min > 0 && free < min:
		r.Level = Fail
		r.Hint = fmt.Sprintf("below min_free (%s): ship will drop the oldest unshipped footage; free space or lower min_free", units.FormatSize(min))
	case free < lowDisk:
		r.Level = Warn
		r.Hint = "little room for footage waiting out a remote outage: set max_local and min_free in the config"
	}
	out := []Result{r}
	if onSharedStorage(dir) {
		out = append(out, Result{Level: Warn, Name: "disk", Detail: dir + " is on Android shared storage",
			Hint: "keep recordings under Termux's $HOME: shared storage is slow and misses file events"})
	}
	return out
}

func onSharedStorage(dir string) bool {
	for _, p := range []string{"/sdcard", "/storage/", "/mnt/sdcard"} {
		if strings.HasPrefix(dir, p) {
			return true
		}
	}
	return false
}
