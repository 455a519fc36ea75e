//go:build unix

package record

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/testcam"
)

// TestUnwritableDir: a --dir that exists but cannot be written fails at
// start with one line and exit 1, instead of connecting and recording
// nothing. The test runs as root, whom permissions do not stop, so the
// recorder runs as nobody on a folder it may enter but not write.
func TestUnwritableDir(t *testing.T) {
	cam := startCam(t, testcam.Options{})
	bin := camshareBin(t)
	if err := os.Chmod(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	parent, err := os.MkdirTemp("", "camshare-ro-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(parent) })
	dir := filepath.Join(parent, "rec")
	if err := os.Mkdir(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(parent, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "record", "--url", cam.URL(), "--dir", dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("still running after 20 s (recording nothing): %s", out)
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("want exit 1, got %v: %s", err, out)
	}
	line := strings.TrimSpace(string(out))
	if strings.Contains(line, "\n") || !strings.HasPrefix(line, "camshare: ") || !strings.Contains(line, "not writable") {
		t.Fatalf("want one 'camshare: … not writable' line, got %q", out)
	}
}
