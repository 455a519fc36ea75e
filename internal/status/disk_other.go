//go:build !unix

package status

import "errors"

// DiskUsage is not implemented off Unix.
func DiskUsage(path string) (free, total int64, err error) {
	return 0, 0, errors.New("disk usage: not supported on this system")
}
