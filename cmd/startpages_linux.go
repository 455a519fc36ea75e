package cmd

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// dropExecutablePages drops the executable's read-only mappings that were
// never written (madvise MADV_DONTNEED): found in /proc/self/smaps, which
// Linux and Android have.
func dropExecutablePages() {
	exe, err := os.Executable()
	if err != nil {
		return
	}
	for _, m := range cleanExecutableMappings(exe) {
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, m.start, m.end-m.start, syscall.MADV_DONTNEED)
	}
}

// mapping is one address range of /proc/self/smaps.
type mapping struct{ start, end uintptr }

// cleanExecutableMappings lists exe's mappings that are not writable and
// hold no private (copied-on-write) page: dropping them is always safe.
func cleanExecutableMappings(exe string) []mapping {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []mapping
	var cur mapping
	candidate := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if r, ok := addressRange(fields[0]); ok && len(fields) >= 5 {
			perms := fields[1]
			candidate = len(fields) >= 6 && fields[len(fields)-1] == exe && !strings.Contains(perms, "w")
			cur = r
			continue
		}
		// "Anonymous: N kB" comes once per mapping, after its header.
		if candidate && fields[0] == "Anonymous:" && len(fields) >= 2 {
			if fields[1] == "0" {
				out = append(out, cur)
			}
			candidate = false
		}
	}
	return out
}

// addressRange parses smaps' "start-end" (hex) header field.
func addressRange(s string) (mapping, bool) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return mapping{}, false
	}
	start, err1 := strconv.ParseUint(a, 16, 64)
	end, err2 := strconv.ParseUint(b, 16, 64)
	if err1 != nil || err2 != nil || end <= start {
		return mapping{}, false
	}
	return mapping{uintptr(start), uintptr(end)}, true
}
