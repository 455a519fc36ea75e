//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly)

package segment

import "os"

// lock is a no-op where flock(2) does not exist; the in-process registry
// (open) still protects this process's own segments.
func lock(*os.File) (busy bool) { return false }
