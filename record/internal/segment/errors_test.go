package segment

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func oneLine(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	if strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), "segment: ") {
		t.Fatalf("error is not one segment line: %q", err)
	}
}

func TestCreateErrors(t *testing.T) {
	m := clip(t, "libx264", 1, false)
	dir := t.TempDir()
	_, err := Create(filepath.Join(dir, "missing"), utcScheme(t), testStart, m.tracks)
	oneLine(t, err)
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing folder: %v", err)
	}
	file := filepath.Join(dir, "file")
	os.WriteFile(file, nil, 0o644)
	_, err = Create(file, utcScheme(t), testStart, m.tracks)
	oneLine(t, err)
	_, err = Recover(filepath.Join(dir, "missing"), utcScheme(t))
	oneLine(t, err)
	_, err = Create(dir, utcScheme(t), testStart, nil)
	oneLine(t, err)
}

// A full disk fails the write with one line, and what was written before
// stays recoverable.
func TestDiskFull(t *testing.T) {
	dir := t.TempDir()
	m := clip(t, "libx264", 4, true)
	w, err := Create(dir, utcScheme(t), testStart, m.tracks)
	if err != nil {
		t.Fatal(err)
	}
	var failed error
	for _, x := range interleave(m) {
		if x.track == 0 && x.dts == 2*90000 {
			// From here on every write hits a full disk.
			full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			w.f.Close()
			w.f = full
		}
		s := x.s
		if failed = w.Write(m.tracks[x.track].ID, x.dts, &s); failed != nil {
			break
		}
	}
	oneLine(t, failed)
	if !strings.Contains(failed.Error(), "no space left") {
		t.Fatalf("disk full reported as %q", failed)
	}
	s := m.samples[1][39].s
	if err := w.Write(1, m.samples[1][39].dts, &s); err != failed {
		t.Fatalf("write after failure: %v", err)
	}
	if _, err := w.Close(nil); err != failed {
		t.Fatalf("close after failure: %v", err)
	}
	infos, err := Recover(dir, utcScheme(t))
	if err != nil || len(infos) != 1 {
		t.Fatalf("recover: %+v %v", infos, err)
	}
	decodes(t, infos[0].Path)
	if n := frames(t, infos[0].Path); n != 10 {
		t.Fatalf("%d frames kept, want the 10 of the fragment written before the disk filled", n)
	}
}

func TestWriteErrors(t *testing.T) {
	dir := t.TempDir()
	m := clip(t, "libx264", 1, false)
	w, err := Create(dir, utcScheme(t), testStart, m.tracks)
	if err != nil {
		t.Fatal(err)
	}
	s0, s1 := m.samples[1][0].s, m.samples[1][1].s
	if err := w.Write(1, 9000, &s0); err != nil {
		t.Fatal(err)
	}
	oneLine(t, w.Write(1, 9000, &s1))  // same dts: refused
	oneLine(t, w.Write(7, 18000, &s1)) // no such track
	if err := w.Write(1, 18000, &s1); err != nil {
		t.Fatalf("writer unusable after a refused sample: %v", err)
	}
	info, err := w.Close(map[int]int64{1: 27000})
	if err != nil {
		t.Fatal(err)
	}
	if n := frames(t, info.Path); n != 2 {
		t.Fatalf("%d frames, want 2", n)
	}
}

func TestCloseEmpty(t *testing.T) {
	dir := t.TempDir()
	m := clip(t, "libx264", 1, false)
	w, err := Create(dir, utcScheme(t), testStart, m.tracks)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Close(nil); err != ErrEmpty {
		t.Fatalf("close of an empty segment: %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("left %v", ents)
	}
}
