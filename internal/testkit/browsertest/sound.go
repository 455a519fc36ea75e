package browsertest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// startSoundServer starts a private PulseAudio whose one output is a null
// sink (it plays to nowhere, at a sound card's pace) and returns its
// PULSE_SERVER value. Test machines have no sound device; without one
// Firefox fails audio-only media ("OnMediaSinkAudioError") and its
// AudioContext never runs, so its decoded sound could not be read. The
// server lives in dir (HOME and XDG_RUNTIME_DIR too, so it touches
// nothing of the user's) and dies with the test binary.
func startSoundServer(ctx context.Context, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	socket := filepath.Join(dir, "pulse-native")
	cmd := exec.Command("pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
		"--log-target=stderr", "-L", "module-null-sink sink_name=nowhere",
		"-L", "module-native-protocol-unix auth-anonymous=1 socket="+socket)
	cmd.Env = append(withoutEnv("HOME", "XDG_RUNTIME_DIR", "PULSE_SERVER"), "HOME="+dir, "XDG_RUNTIME_DIR="+dir)
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	if err := startChild(cmd); err != nil {
		return "", err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	deadline := time.After(startTimeout)
	for {
		// The socket accepts once the modules are loaded.
		if c, err := net.Dial("unix", socket); err == nil {
			c.Close()
			return "unix:" + socket, nil
		}
		select {
		case <-exited:
			return "", fmt.Errorf("pulseaudio exited: %s", lastLines(stderr.String(), 5))
		case <-ctx.Done():
			cmd.Process.Kill()
			return "", fmt.Errorf("pulseaudio did not start: %w", ctx.Err())
		case <-deadline:
			cmd.Process.Kill()
			return "", fmt.Errorf("pulseaudio did not start in %v: %s", startTimeout, lastLines(stderr.String(), 5))
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// withoutEnv is this process's environment less the named variables.
func withoutEnv(names ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		drop := false
		for _, n := range names {
			drop = drop || n == name
		}
		if !drop {
			env = append(env, kv)
		}
	}
	return env
}
