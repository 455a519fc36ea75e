package segment

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// crashed writes a 5 s H.264+AAC clip and stops as a kill -9 would: every
// complete fragment is on disk, nothing is patched or renamed. It returns
// the temp file's path and the offset of its last fragment.
func crashed(t testing.TB, dir string) (string, int64) {
	t.Helper()
	m := clip(t, "libx264", 5, true)
	w := record(t, dir, utcScheme(t), testStart, m, 0)
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, "20240323T152000+0000.tmp")
	b, err := os.ReadFile(tmp)
	if err != nil {
		t.Fatal(err)
	}
	last := int64(-1)
	for off := 0; ; {
		bx, ok := nextBox(b, off)
		if !ok {
			break
		}
		if bx.typ == "moof" {
			last = int64(off)
		}
		off = bx.end
	}
	if last < 0 {
		t.Fatal("no fragment written")
	}
	return tmp, last
}

// A crashed segment plays as it is (≤ 1 s lost), and Recover publishes it
// with its true duration.
func TestRecoverCrashed(t *testing.T) {
	dir := t.TempDir()
	tmp, _ := crashed(t, dir)
	// The 50th frame is held back waiting for its duration: 49 are on disk.
	if n := frames(t, tmp); n != 49 {
		t.Fatalf("temp file plays %d frames, want 49", n)
	}
	decodes(t, tmp)
	infos, err := Recover(dir, utcScheme(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(infos) != 1 || infos[0].Name != "20240323T152000+0000.mp4" || !infos[0].Start.Equal(testStart) ||
		infos[0].Duration != 4900*time.Millisecond {
		t.Fatalf("recovered %+v", infos)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Fatalf("temp file still there: %v", err)
	}
	p := ffprobe(t, infos[0].Path)
	if len(p.Streams) != 2 || p.Streams[0].Duration != "4.900000" || p.duration(t) < 4.9 {
		t.Fatalf("recovered file: %+v duration %s", p.Streams, p.Format.Duration)
	}
	checkHeaders(t, infos[0].Path, []float64{4.9, -1}, 0.001)
	decodes(t, infos[0].Path)
}

// A fragment torn anywhere (power loss mid-write) is cut off; every complete
// fragment before it is kept.
func TestRecoverTornFragment(t *testing.T) {
	src := t.TempDir()
	tmp, last := crashed(t, src)
	whole, err := os.ReadFile(tmp)
	if err != nil {
		t.Fatal(err)
	}
	cuts := []int64{last, last + 1, last + 8, int64(len(whole)) - 1}
	for range 6 {
		cuts = append(cuts, last+rand.Int64N(int64(len(whole))-last))
	}
	for _, cut := range cuts {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(tmp)), whole[:cut], 0o644); err != nil {
			t.Fatal(err)
		}
		infos, err := Recover(dir, utcScheme(t))
		if err != nil {
			t.Fatalf("cut at %d: %v", cut, err)
		}
		if len(infos) != 1 || infos[0].Size != last {
			t.Fatalf("cut at %d of %d (last fragment at %d): %+v", cut, len(whole), last, infos)
		}
		st, err := os.Stat(infos[0].Path)
		if err != nil || st.Size() != last {
			t.Fatalf("cut at %d: recovered file %v, %v", cut, st, err)
		}
		// Fragments hold 1 s of video: the four complete ones are 40 frames.
		if n := frames(t, infos[0].Path); n != 40 {
			t.Fatalf("cut at %d: %d frames, want 40", cut, n)
		}
		checkHeaders(t, infos[0].Path, []float64{4, -1}, 0.001)
		decodes(t, infos[0].Path)
	}
}

// Temp files with nothing playable are removed; files that are not ours are
// left alone; a taken name gets a suffix.
func TestRecoverLeftovers(t *testing.T) {
	dir := t.TempDir()
	s := utcScheme(t)
	m := clip(t, "libx264", 2, false)
	w, err := Create(dir, s, testStart, m.tracks) // init only, then a crash
	if err != nil {
		t.Fatal(err)
	}
	w.Abort()
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("20240323T152100+0000.tmp", []byte("garbage, not an mp4 at all"))
	write("20240323T152200+0000.tmp", nil)
	write("notes.tmp", []byte("mine"))
	write("20240323T152300+0000.mp4", []byte("an older segment with the same name"))
	w2 := record(t, dir, s, testStart.Add(3*60e9), m, 0)
	if w2.Name() != "20240323T152300+0000_1.mp4" {
		t.Fatalf("name %s", w2.Name())
	}
	w2.Abort()

	rec, err := RecoverAll(dir, s)
	if err != nil {
		t.Fatal(err)
	}
	infos := rec.Segments
	if len(infos) != 1 || infos[0].Name != "20240323T152300+0000_1.mp4" {
		t.Fatalf("recovered %+v", infos)
	}
	if r := strings.Join(rec.Removed, " "); r != "20240323T152000+0000.tmp 20240323T152100+0000.tmp 20240323T152200+0000.tmp" {
		t.Fatalf("removed %q, want the init-only, garbage and empty temp files", r)
	}
	decodes(t, infos[0].Path)
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	want := []string{"20240323T152300+0000.mp4", "20240323T152300+0000_1.mp4", "notes.tmp"}
	if len(names) != len(want) {
		t.Fatalf("folder holds %v, want %v", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("folder holds %v, want %v", names, want)
		}
	}
}

// Recover never touches a segment that is still being written.
func TestRecoverSkipsOpenWriter(t *testing.T) {
	dir := t.TempDir()
	m := clip(t, "libx264", 2, false)
	w := record(t, dir, utcScheme(t), testStart, m, 0)
	infos, err := Recover(dir, utcScheme(t))
	if err != nil || len(infos) != 0 {
		t.Fatalf("recovered a live segment: %+v %v", infos, err)
	}
	// Another recorder's view (a second process) is the same: the file
	// lock alone says it is live.
	infos, err = Recover(dir, utcScheme(t))
	if err != nil || len(infos) != 0 {
		t.Fatalf("recovered a segment locked by its writer: %+v %v", infos, err)
	}
	if _, err := w.Close(endOf(m, 0)); err != nil {
		t.Fatal(err)
	}
}
