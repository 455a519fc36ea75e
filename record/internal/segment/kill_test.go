package segment

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// crashChild is the process TestKill9 kills: it writes 2.5 s of a clip
// into CAMSHARE_SEGMENT_CRASH_DIR, says so, and waits to be killed.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv("CAMSHARE_SEGMENT_CRASH_DIR")
	if dir == "" {
		return // only meaningful as TestKill9's child
	}
	m := clip(t, "libx264", 3, true)
	w, err := Create(dir, utcScheme(t), testStart, m.tracks)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range interleave(m) {
		if x.track == 0 && x.dts >= 25*9000 {
			break
		}
		s := x.s
		if err := w.Write(m.tracks[x.track].ID, x.dts, &s); err != nil {
			t.Fatal(err)
		}
	}
	os.Stdout.WriteString("written\n")
	time.Sleep(time.Minute)
}

// A process killed with SIGKILL mid-segment leaves a temp file that plays
// up to its last fragment, and Recover publishes it.
func TestKill9(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.v")
	cmd.Env = append(os.Environ(), "CAMSHARE_SEGMENT_CRASH_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	sc := bufio.NewScanner(out)
	for sc.Scan() && !strings.Contains(sc.Text(), "written") {
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL on Unix
		t.Fatal(err)
	}
	cmd.Wait()
	tmp := filepath.Join(dir, "20240323T152000+0000.tmp")
	// Fragments of 1 s: frames 0-9 and 10-19 are on disk, 20-24 were queued.
	if n := frames(t, tmp); n != 20 {
		t.Fatalf("killed writer's temp file plays %d frames, want 20", n)
	}
	infos, err := Recover(dir, utcScheme(t))
	if err != nil || len(infos) != 1 {
		t.Fatalf("recover: %+v %v", infos, err)
	}
	decodes(t, infos[0].Path)
	if infos[0].Duration != 2*time.Second {
		t.Fatalf("recovered duration %v, want 2s", infos[0].Duration)
	}
	checkHeaders(t, infos[0].Path, []float64{2, -1}, 0.001)
}
