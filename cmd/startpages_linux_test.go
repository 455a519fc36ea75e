package cmd

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestReleaseStartupPages: the executable's clean mappings are found, and
// dropping them lowers the file-backed resident set while the process goes
// on running the code it needs (this test's own, mapped back on use).
func TestReleaseStartupPages(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if len(cleanExecutableMappings(exe)) == 0 {
		t.Fatalf("no clean mapping of %s in /proc/self/smaps", exe)
	}
	before := rssFileKiB(t)
	releaseStartupPages(context.Background(), 0)
	after := rssFileKiB(t)
	t.Logf("file-backed resident set %d → %d KiB", before, after)
	if after >= before {
		t.Fatalf("file-backed resident set did not drop: %d → %d KiB", before, after)
	}
}

func rssFileKiB(t *testing.T) int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "RssFile:" {
			n, err := strconv.Atoi(f[1])
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("no RssFile in /proc/self/status")
	return 0
}
