package record

import "syscall"

// setLowWater sets the socket's receive low-water mark: the kernel reports
// it readable (and wakes the poller) only once this many bytes are queued.
// Failure only costs wake-ups, so it is ignored.
func setLowWater(raw syscall.RawConn, bytes int) {
	_ = raw.Control(func(fd uintptr) {
		_ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVLOWAT, bytes)
	})
}
