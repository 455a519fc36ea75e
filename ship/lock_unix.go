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
	for {
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
		// The holder before us removes the file as it stops (so a clean
		// folder is left behind); a lock taken on a removed file is no
		// lock, so check that the path is still our file.
		if !samePath(f, path) {
			f.Close()
			continue
		}
		host, _ := os.Hostname()
		f.Truncate(0)
		fmt.Fprintf(f, "camshare pid %d on %s since %s\n", os.Getpid(), host, time.Now().Format(time.DateTime))
		return func() {
			os.Remove(path) // still holding the lock: nobody can be between open and check
			f.Close()
		}, nil
	}
}

func samePath(f *os.File, path string) bool {
	a, err1 := f.Stat()
	b, err2 := os.Stat(path)
	return err1 == nil && err2 == nil && os.SameFile(a, b)
}
