package record

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/testcam"
)

// binDir holds the camshare binary the subprocess tests run.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "camshare-record-test-")
	if err != nil {
		panic(err)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var (
	buildOnce sync.Once
	buildErr  error
)

// camshareBin builds the real binary once (only tests that need it pay).
func camshareBin(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(binDir, "camshare")
	buildOnce.Do(func() {
		cmd := exec.Command("go", "build", "-o", bin, "github.com/camshare/camshare")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = errors.New(err.Error() + ": " + string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("go build: %v", buildErr)
	}
	return bin
}

// startRecordProcess runs `camshare record` against url into dir.
func startRecordProcess(t *testing.T, url, dir string, extra ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	args := append([]string{"record", "--url", url, "--dir", dir, "--utc"}, extra...)
	cmd := exec.Command(camshareBin(t), args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return cmd, &out
}

// tmpWithFragments waits until the open segment holds at least n bytes
// beyond its start (fragments are flushed every second).
func tmpFile(t *testing.T, dir string, minSize int64, timeout time.Duration) string {
	t.Helper()
	var found string
	waitFor(t, timeout, "a growing .tmp segment", func() bool {
		for _, p := range files(t, dir, ".tmp") {
			if st, err := os.Stat(p); err == nil && st.Size() >= minSize {
				found = p
				return true
			}
		}
		return false
	})
	return found
}

// TestKillRecover: kill -9 mid-segment leaves a .tmp that plays up to its
// last fragment, and the next start turns it into a closed .mp4.
func TestKillRecover(t *testing.T) {
	cam := startCam(t, testcam.Options{Fixture: "h264_pcma"})
	dir := t.TempDir()
	cmd, out := startRecordProcess(t, cam.URL(), dir, "--segment", "10m")
	// ~3 s of fragments (the fixture is ~64 kB per second).
	tmp := tmpFile(t, dir, 200_000, 60*time.Second)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	t.Logf("camshare output:\n%s", out)
	if mp4 := files(t, dir, ".mp4"); len(mp4) != 0 {
		t.Fatalf("a 10m segment was closed before the kill: %v", mp4)
	}
	decodes(t, tmp)
	if v := probe(t, tmp)["video"]; v.CodecName != "h264" {
		t.Errorf("killed .tmp: video %q", v.CodecName)
	}
	if _, end := packetSpan(t, tmp, "v"); end < 2*time.Second {
		t.Errorf("killed .tmp plays only %v", end)
	}

	// The next start (in-process, same folder) recovers it.
	cam.Stop()
	r := startRecorder(t, Options{URL: cam.URL(), Dir: dir, Scheme: utcScheme(t)})
	waitFor(t, 10*time.Second, "the Recovered event", func() bool { return r.ev.count(Recovered) > 0 })
	r.stop(t)
	want := strings.TrimSuffix(tmp, ".tmp") + ".mp4"
	mustExist(t, want)
	if _, err := os.Stat(tmp); err == nil {
		t.Errorf("%s still there after recovery", tmp)
	}
	decodes(t, want)
	var rec *Event
	for _, ev := range r.ev.list() {
		if ev.Kind == Recovered {
			rec = &ev
			break
		}
	}
	if rec.Segment.Path != want || rec.Segment.Duration < 2*time.Second {
		t.Errorf("Recovered event %+v, want %s lasting ≥ 2s", *rec.Segment, want)
	}
}

// TestInterrupt: SIGINT closes the open segment as .mp4 and exits 0.
func TestInterrupt(t *testing.T) {
	cam := startCam(t, testcam.Options{Fixture: "h265_pcma"})
	dir := t.TempDir()
	cmd, out := startRecordProcess(t, cam.URL(), dir, "--segment", "10m")
	tmpFile(t, dir, 200_000, 60*time.Second)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		t.Logf("camshare output:\n%s", out)
		if err != nil {
			t.Fatalf("exit after SIGINT: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("camshare did not exit 30s after SIGINT")
	}
	if tmp := files(t, dir, ".tmp"); len(tmp) != 0 {
		t.Errorf(".tmp left after SIGINT: %v", tmp)
	}
	mp4 := files(t, dir, ".mp4")
	if len(mp4) != 1 {
		t.Fatalf("want one closed segment, got %v", mp4)
	}
	decodes(t, mp4[0])
	if _, end := packetSpan(t, mp4[0], "v"); end < 2*time.Second {
		t.Errorf("segment plays only %v", end)
	}
}

// TestCommandUsage: bad flags are usage errors (exit 2), one line.
func TestCommandUsage(t *testing.T) {
	for _, args := range [][]string{
		{"record", "--dir", "x"},
		{"record", "--url", "rtsp://h/s", "--dir", "x", "--segment", "500ms"},
		{"record", "--url", "rtsp://h/s", "--dir", "x", "--segment", "soon"},
		{"record", "--url", "rtsp://h/s", "--dir", "x", "--segment", "100h"}, // past MaxSegment
		{"record", "--url", "rtsp://h/s", "--dir", "x", "--segment", "1.5s"}, // not whole seconds
		{"record", "--url", "rtsp://h/s", "--dir", "x", "--transport", "quic"},
		{"record", "--url", "rtsp://h/s", "--dir", "x", "--name", "%Y.mp4"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		cmd := exec.CommandContext(ctx, camshareBin(t), args...)
		out, err := cmd.CombinedOutput()
		cancel()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 2 {
			t.Errorf("%v: want exit 2, got %v: %s", args, err, out)
		}
		if lines := strings.Count(strings.TrimSpace(string(out)), "\n"); lines != 0 || !strings.HasPrefix(string(out), "camshare: ") {
			t.Errorf("%v: want one 'camshare: …' line, got %q", args, out)
		}
	}
}
