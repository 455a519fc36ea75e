//go:build unix

package ship

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// lockName is the lock file a shipper holds in each folder it ships.
const lockName = ".camshare-ship.lock"

// lockDir makes sure one shipper at a time moves a folder's segments: two
// would race for each file. The lock is an flock on a file in the folder, so
// it goes away with the process however it ends (kill -9 included); the
// file says who holds it, for the second shipper's error.
func lockDir(dir string) (unlock func(), err error) {
	path := filepath.Join(dir, lockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("folder %q: cannot lock: %v", dir, err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(path)
		f.Close()
		who := strings.TrimSpace(string(holder))
		if who == "" {
			who = "another process"
		}
		return nil, fmt.Errorf("folder %q is already being shipped by %s; stop it first", dir, who)
	}
	host, _ := os.Hostname()
	f.Truncate(0)
	fmt.Fprintf(f, "camshare pid %d on %s since %s\n", os.Getpid(), host, time.Now().Format(time.DateTime))
	return func() { f.Close() }, nil
}
