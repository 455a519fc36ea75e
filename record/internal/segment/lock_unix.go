//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package segment

import (
	"errors"
	"os"
	"syscall"
)

// lock takes an exclusive advisory lock on an open segment without waiting.
// A Writer holds it until it closes the file, so Recover in another process
// (a second camshare recording into the same folder) never takes a live
// segment for a crash leftover. busy reports that someone else holds it;
// filesystems without locks just report not busy.
func lock(f *os.File) (busy bool) {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	return errors.Is(err, syscall.EWOULDBLOCK)
}
