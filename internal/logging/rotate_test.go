package logging

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestRotatingFileKeepsBoundedFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "camshare.log")
	const max = 1000
	r, err := OpenRotating(path, max, 3)
	if err != nil {
		t.Fatal(err)
	}
	log, _ := New(r, Options{})
	for i := 0; i < 500; i++ {
		log.Info("segment closed", "n", i, "pad", strings.Repeat("x", 40))
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	want := []string{"camshare.log", "camshare.log.1", "camshare.log.2", "camshare.log.3"}
	if fmt.Sprint(names) != fmt.Sprint(want) {
		t.Fatalf("files = %v, want %v", names, want)
	}
	for _, n := range names {
		b, _ := os.ReadFile(filepath.Join(dir, n))
		if len(b) > max {
			t.Errorf("%s is %d bytes, over %d", n, len(b), max)
		}
		if len(b) > 0 && (!strings.HasSuffix(string(b), "\n") || !strings.HasPrefix(string(b), "time=")) {
			t.Errorf("%s holds a split line", n)
		}
	}
	// The newest line is in the live file, older ones in .1.
	live, _ := os.ReadFile(path)
	if !strings.Contains(string(live), "n=499") {
		t.Error("last line not in the live file")
	}
	one, _ := os.ReadFile(path + ".1")
	if strings.Contains(string(one), "n=499") || !strings.Contains(string(one), "segment closed") {
		t.Error(".1 does not hold the previous lines")
	}
}

func TestRotatingFileAppendsAcrossRestarts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	for i := 0; i < 2; i++ {
		r, err := OpenRotating(path, 0, -1)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(r, "run %d\n", i)
		r.Close()
	}
	b, _ := os.ReadFile(path)
	if string(b) != "run 0\nrun 1\n" {
		t.Fatalf("got %q", b)
	}
}

// TestLogFileIsPrivate: issue 11 #16, log lines name cameras and remotes,
// so the file is 0600 whatever the umask, also one that existed before.
func TestLogFileIsPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "camshare.log")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := OpenRotating(path, 100, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	log, _ := New(r, Options{})
	for i := 0; i < 10; i++ { // rotate at least once
		log.Info("line", "n", i)
	}
	for _, p := range []string{path, path + ".1"} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if perm := st.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s: mode %v, want 0600", p, perm)
		}
	}
}
