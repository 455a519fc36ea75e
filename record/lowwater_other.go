//go:build !linux

package record

import "syscall"

// setLowWater does nothing here: outside Linux (and Android) a raised
// SO_RCVLOWAT is not honoured by every poller the runtime uses, and reads
// are still coalesced by sleeping.
func setLowWater(syscall.RawConn, int) {}
