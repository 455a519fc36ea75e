//go:build unix

package audio

import "syscall"

// cpuSeconds is the process's user+system CPU time, so benchmarks report
// CPU rather than wall time on a machine shared with other work.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
