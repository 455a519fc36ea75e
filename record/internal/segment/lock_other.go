//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly || windows)

package segment

import "os"

// lock is a no-op where no file lock is available (plan9, wasm): Recover
// cannot tell a live segment there, so only one recorder may use a folder.
func lock(*os.File) error { return nil }
