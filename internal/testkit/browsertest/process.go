package browsertest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// startTimeout bounds a browser's (or its display's or sound server's)
// start when the caller's ctx does not: minutes, because a loaded test
// machine (load average 30+ on 2 cores) takes over a minute to start
// Firefox.
const startTimeout = 3 * time.Minute

// Browsers are shared by every test of a test binary and outlive any one
// test, so nothing can close them at the end: the kernel does. Each child
// gets SIGKILL when the thread that started it dies (Pdeathsig), and all
// children are started from one locked thread that lives as long as the
// binary, so they die with the binary and never before.
var spawnRequests = make(chan spawnRequest)

type spawnRequest struct {
	cmd  *exec.Cmd
	done chan error
}

func init() {
	go func() {
		runtime.LockOSThread()
		for r := range spawnRequests {
			r.done <- r.cmd.Start()
		}
	}()
}

// startChild starts cmd so that it is killed when the test binary exits.
func startChild(cmd *exec.Cmd) error {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	done := make(chan error, 1)
	spawnRequests <- spawnRequest{cmd, done}
	if err := <-done; err != nil {
		return fmt.Errorf("start %s: %w", cmd.Path, err)
	}
	return nil
}

// profileDir makes a temporary folder for one browser's profile, named
// with this binary's pid. Folders of binaries that are gone (a killed
// browser cannot remove its own) are removed first.
func profileDir(engine Engine) (string, error) {
	old, _ := filepath.Glob(filepath.Join(os.TempDir(), "camshare-browsertest-*"))
	for _, d := range old {
		pid, err := strconv.Atoi(strings.SplitN(strings.TrimPrefix(filepath.Base(d), "camshare-browsertest-"), "-", 2)[0])
		if err != nil || pid == os.Getpid() {
			continue
		}
		if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); os.IsNotExist(err) {
			os.RemoveAll(d)
		}
	}
	return os.MkdirTemp("", fmt.Sprintf("camshare-browsertest-%d-%s-", os.Getpid(), engine))
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
