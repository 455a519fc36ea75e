//go:build !linux

package cmd

// dropExecutablePages does nothing here: only Linux and Android say in
// /proc/self/smaps which of the executable's pages are clean.
func dropExecutablePages() {}
