package supervisor

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

// startRun runs `camshare run` as its own process; its output goes to
// the returned file (a file, so the test can read it while it runs).
func startRun(t *testing.T, dir, cfgPath string) (*exec.Cmd, string) {
	t.Helper()
	logPath := filepath.Join(dir, "output.log")
	logs, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "run", "--config", cfgPath, "--status-interval", "1s")
	cmd.Env = append(os.Environ(), "HOME="+dir, "RCLONE_CONFIG="+filepath.Join(dir, "none.conf"))
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
		logs.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			t.Logf("camshare run output:\n%s", b)
		}
	})
	return cmd, logPath
}

// stop sends SIGTERM and wants exit 0.
func stopRun(t *testing.T, cmd *exec.Cmd) time.Duration {
	t.Helper()
	sent := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("camshare run after SIGTERM: %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("camshare run did not exit after SIGTERM")
	}
	return time.Since(sent)
}

// SIGTERM in the middle of segments closes every one of them as a valid
// .mp4, exits 0, and the next start ships them; SIGHUP adds a camera.
func TestSIGTERMClosesSegmentsAndNextStartShipsThem(t *testing.T) {
	srv := rclonetest.S3(t)
	dir := t.TempDir()
	a, b := testCamera(t), testCamera(t)
	cfgPath := writeConfig(t, dir, srv.Remote, map[string]string{"a": a.URL(), "b": b.URL()}, "")
	rec := filepath.Join(dir, "rec")

	cmd, _ := startRun(t, dir, cfgPath)
	for _, name := range []string{"a", "b"} {
		waitFor(t, name+" shipping", func() bool { return len(segments(t, filepath.Join(srv.Root, name))) >= 1 })
	}
	waitFor(t, "both cameras mid-segment", func() bool { return len(tmpFiles(rec)) >= 2 })
	took := stopRun(t, cmd)
	t.Logf("exited %s after SIGTERM", took.Round(time.Millisecond))
	if tmp := tmpFiles(rec); len(tmp) > 0 {
		t.Fatalf("segments left unfinished: %v", tmp)
	}
	left := segments(t, rec)
	if len(left) < 2 {
		t.Fatalf("want the two open segments closed locally, found %d", len(left))
	}
	for _, s := range left {
		probe(t, s.Path)
	}

	cmd, logPath := startRun(t, dir, cfgPath)
	for _, s := range left {
		camName := filepath.Base(filepath.Dir(s.Path))
		waitFor(t, s.Name+" shipped after restart", func() bool {
			for _, r := range segments(t, filepath.Join(srv.Root, camName)) {
				if r.Name == s.Name {
					_, err := os.Stat(s.Path)
					return os.IsNotExist(err)
				}
			}
			return false
		})
	}

	// SIGHUP with a broken file keeps the running config and says why.
	os.WriteFile(cfgPath, []byte("remote: x:y\ncameras: nope\n"), 0o600)
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the broken config refused", func() bool {
		b, _ := os.ReadFile(logPath)
		return strings.Contains(string(b), "config not reloaded") && strings.Contains(string(b), "camshare.yaml:2: cameras: want a list")
	})

	// SIGHUP picks up a camera added to the file.
	c := testCamera(t)
	writeConfig(t, dir, srv.Remote, map[string]string{"a": a.URL(), "b": b.URL(), "c": c.URL()}, "")
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "c shipping after SIGHUP", func() bool { return len(segments(t, filepath.Join(srv.Root, "c"))) >= 1 })
	stopRun(t, cmd)
}

// A config with five mistakes starts nothing and lists five lines, each
// with the file and line.
func TestRunRefusesConfigWithMistakes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte(`remote: s3:cams
segmnt: 5m
cameras:
  - name: door
    url: http://192.168.1.10/stream
  - name: yard
    url: rtsp://192.168.1.11/stream
    segment: 5x
    transport: tcpp
retention:
  max_size: lots
`), 0o600)
	var stderr bytes.Buffer
	cmd := exec.Command(binary, "run", "--config", bad)
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
		t.Fatalf("exit: %v\n%s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	var mistakes []string
	for _, l := range lines {
		if strings.HasPrefix(l, bad+":") {
			mistakes = append(mistakes, l)
		}
	}
	if len(mistakes) != 5 {
		t.Fatalf("want 5 mistakes, got:\n%s", stderr.String())
	}
	for i, line := range []string{"2", "5", "8", "9", "11"} {
		if !strings.HasPrefix(mistakes[i], bad+":"+line+": ") {
			t.Errorf("mistake %d: %s (want line %s)", i, mistakes[i], line)
		}
	}
	if !strings.Contains(lines[len(lines)-1], "nothing started") {
		t.Errorf("last line: %s", lines[len(lines)-1])
	}
}

// With a local-folder remote rclone's copy registers an at-exit handler
// that would turn SIGTERM into exit 143 mid-shutdown; camshare must still
// close its segments and exit 0.
func TestSIGTERMWithLocalRemote(t *testing.T) {
	dir := t.TempDir()
	a := testCamera(t)
	remoteDir := filepath.Join(dir, "remote")
	cfgPath := writeConfig(t, dir, remoteDir, map[string]string{"a": a.URL()}, "")
	cmd, _ := startRun(t, dir, cfgPath)
	waitFor(t, "a shipping", func() bool { return len(segments(t, filepath.Join(remoteDir, "a"))) >= 1 })
	waitFor(t, "a mid-segment", func() bool { return len(tmpFiles(filepath.Join(dir, "rec"))) >= 1 })
	stopRun(t, cmd)
	if tmp := tmpFiles(filepath.Join(dir, "rec")); len(tmp) > 0 {
		t.Fatalf("segments left unfinished: %v", tmp)
	}
	// status says it stopped, and exits 1 for it.
	out, err := exec.Command(binary, "status", "--state", filepath.Join(dir, "rec", "camshare-status.json")).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "camshare run stopped at") {
		t.Errorf("status after a clean stop: %v\n%s", err, out)
	}
}
