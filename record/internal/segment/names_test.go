package segment

import (
	"os"
	"path/filepath"
	"testing"
)

// Segments starting in the same second (a reconnect) get suffixed names;
// nothing is ever overwritten, not even a file that appears while a
// segment is being written.
func TestNameCollisions(t *testing.T) {
	dir := t.TempDir()
	s := utcScheme(t)
	m := clip(t, "libx264", 1, false)
	a := record(t, dir, s, testStart, m, 0)
	b := record(t, dir, s, testStart, m, 0) // while a is open
	if a.Name() != "20240323T152000+0000.mp4" || b.Name() != "20240323T152000+0000_1.mp4" {
		t.Fatalf("names %s %s", a.Name(), b.Name())
	}
	for _, w := range []*Writer{a, b} {
		if _, err := w.Close(nil); err != nil {
			t.Fatal(err)
		}
	}
	c := record(t, dir, s, testStart, m, 0)
	if c.Name() != "20240323T152000+0000_2.mp4" {
		t.Fatalf("third name %s", c.Name())
	}
	// Someone else takes c's name before it closes.
	squatter := filepath.Join(dir, c.Name())
	if err := os.WriteFile(squatter, []byte("not ours"), 0o644); err != nil {
		t.Fatal(err)
	}
	info, err := c.Close(nil)
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != "20240323T152000+0000_3.mp4" {
		t.Fatalf("closed as %s", info.Name)
	}
	if b, _ := os.ReadFile(squatter); string(b) != "not ours" {
		t.Fatal("overwrote an existing file")
	}
	for _, n := range []string{"20240323T152000+0000.mp4", "20240323T152000+0000_1.mp4", info.Name} {
		decodes(t, filepath.Join(dir, n))
		if _, ok := s.Time(n); !ok {
			t.Fatalf("%s does not read back as a segment name", n)
		}
	}
}
