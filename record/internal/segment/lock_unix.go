//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package segment

import (
	"errors"
	"os"
	"syscall"
)

// lock takes an exclusive advisory lock on an open segment without waiting.
// A Writer holds it until it closes the file, so Recover (in this process or
// another camshare recording into the same folder) never takes a live
// segment for a crash leftover: flock locks of two descriptors conflict
// even within one process. errBusy means someone else holds it; on a
// filesystem without locks there is nothing to hold, and lock succeeds.
func lock(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, syscall.EWOULDBLOCK):
		return errBusy
	case errors.Is(err, syscall.ENOLCK), errors.Is(err, syscall.ENOTSUP), errors.Is(err, syscall.ENOSYS), errors.Is(err, syscall.EINVAL):
		return nil // no locks on this filesystem (some FUSE mounts)
	}
	return err
}
