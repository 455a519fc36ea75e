//go:build !linux

package record

import "syscall"

// setLowWater does nothing here: outside Linux (and Android) a raised
// SO_RCVLOWAT is not honoured by every poller the runtime uses, and reads
// are still coalesced by sleeping.
func setLowWater(syscall.RawConn, int) bool { return false }

// readNow is never reached without a low-water mark.
func readNow(syscall.RawConn, []byte) (int, bool, error) { return 0, false, nil }
