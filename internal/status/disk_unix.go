//go:build unix

package status

import "syscall"

// DiskUsage reports the free (to an unprivileged user) and total bytes of
// the file system holding path. Pure Go: no df child process.
func DiskUsage(path string) (free, total int64, err error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil {
		return 0, 0, err
	}
	return int64(st.Bavail) * int64(st.Bsize), int64(st.Blocks) * int64(st.Bsize), nil
}
