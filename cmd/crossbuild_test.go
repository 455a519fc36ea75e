package cmd_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/testcam"
)

// TestCrossBuilds builds the release targets that run on phones and Pis
// (static, CGO_ENABLED=0, as goreleaser.yaml does) and runs the Linux ARM
// ones under qemu-user: --version, then a short real recording from the
// test camera, decoded by ffprobe. This is what catches an accidental cgo
// dependency or a 64-bit-only assumption before a user on a Pi Zero does.
func TestCrossBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("cross builds take minutes; run without -short")
	}
	targets := []struct {
		goos, goarch, goarm, qemu string
	}{
		{"linux", "arm64", "", "qemu-aarch64"},
		{"linux", "arm", "7", "qemu-arm"},
		{"linux", "arm", "6", ""},
		{"android", "arm64", "", ""}, // PIE against Android's linker64: build only
	}
	cam, err := testcam.Start(testcam.Options{Fixture: "h264_pcma"})
	if err != nil {
		t.Fatal(err)
	}
	defer cam.Close()

	for _, tg := range targets {
		name := tg.goos + "-" + tg.goarch + tg.goarm
		t.Run(name, func(t *testing.T) {
			bin := filepath.Join(t.TempDir(), "camshare-"+name)
			build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", bin, "..")
			build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+tg.goos, "GOARCH="+tg.goarch, "GOARM="+tg.goarm)
			if out, err := build.CombinedOutput(); err != nil {
				t.Fatalf("build: %v\n%s", err, out)
			}
			if tg.qemu == "" {
				return
			}
			out, err := exec.Command(tg.qemu, bin, "--version").CombinedOutput()
			if err != nil || !strings.HasPrefix(string(out), "camshare ") {
				t.Fatalf("--version under %s: %v %q", tg.qemu, err, out)
			}
			recordUnderQEMU(t, tg.qemu, bin, cam.URL())
		})
	}
}

func recordUnderQEMU(t *testing.T, qemu, bin, url string) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rec := exec.CommandContext(ctx, qemu, bin, "record", "--url", url, "--dir", dir, "--segment", "2s")
	var logs strings.Builder
	rec.Stdout, rec.Stderr = &logs, &logs
	if err := rec.Start(); err != nil {
		t.Fatal(err)
	}
	// Emulation is slow; wait for a first closed segment, then stop cleanly.
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		if m, _ := filepath.Glob(filepath.Join(dir, "*.mp4")); len(m) > 0 {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	rec.Process.Signal(syscall.SIGINT)
	if err := rec.Wait(); err != nil {
		t.Fatalf("record under %s: %v\n%s", qemu, err, logs.String())
	}
	segs, _ := filepath.Glob(filepath.Join(dir, "*.mp4"))
	if len(segs) == 0 {
		t.Fatalf("no segment recorded under %s:\n%s", qemu, logs.String())
	}
	for _, s := range segs {
		out, err := exec.Command("ffmpeg", "-v", "error", "-i", s, "-f", "null", "-").CombinedOutput()
		if err != nil || len(strings.TrimSpace(string(out))) > 0 {
			t.Errorf("%s does not decode: %v %s", filepath.Base(s), err, out)
		}
	}
}
