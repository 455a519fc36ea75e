package cmd

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// testcamOutput lets the test read stdout while the command writes it.
type testcamOutput struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *testcamOutput) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *testcamOutput) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestTestcamServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr testcamOutput
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"testcam", "--fixture", "h264_aac", "--addr", "127.0.0.1:0", "--user", "u", "--pass", "p"}, &stdout, &stderr)
	}()
	var url string
	for deadline := time.Now().Add(30 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		url = strings.TrimSpace(stdout.String())
	}
	if !strings.HasPrefix(url, "rtsp://127.0.0.1:") || strings.Contains(url, "u:p@") {
		t.Fatalf("printed URL %q (stderr %q)", url, stderr.String())
	}
	authed := strings.Replace(url, "rtsp://", "rtsp://u:p@", 1)
	pctx, pcancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer pcancel()
	out, err := exec.CommandContext(pctx, "ffprobe", "-v", "error", "-rtsp_transport", "tcp",
		"-show_entries", "stream=codec_name", "-of", "csv=p=0", authed).CombinedOutput()
	if err != nil || strings.Join(strings.Fields(string(out)), ",") != "h264,aac" {
		t.Fatalf("ffprobe: %v: %s", err, out)
	}
	cancel()
	select {
	case c := <-code:
		if c != 0 {
			t.Fatalf("exit code %d, stderr %q", c, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("testcam did not stop on cancel")
	}
}

func TestTestcamUnknownFixture(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if c := run(context.Background(), []string{"testcam", "--fixture", "nope"}, &stdout, &stderr); c != 2 {
		t.Fatalf("exit code %d, want 2 (stderr %q)", c, stderr.String())
	}
}
