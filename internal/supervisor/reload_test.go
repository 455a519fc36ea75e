package supervisor

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/status"
)

// TestReloadOfOneCameraKeepsShipper: issue 11 #13. A SIGHUP that changed one
// camera (its segment length) restarted the shipper, cancelling the upload
// in flight and resetting the status counters. The shipper stays, and its
// counters keep counting.
func TestReloadOfOneCameraKeepsShipper(t *testing.T) {
	dir := t.TempDir()
	remoteDir := filepath.Join(dir, "remote")
	a, b := testCamera(t), testCamera(t)
	cfgPath := writeConfig(t, dir, remoteDir, map[string]string{"a": a.URL(), "b": b.URL()}, "")
	cfg := loadConfig(t, cfgPath)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ctx, err := remote.Setup(ctx, remote.Options{ConfigPath: filepath.Join(dir, "none.conf")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sup, err := New(Options{Config: cfg, Log: testLogger(t, dir), Interval: 200 * time.Millisecond, Rescan: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	runDone := make(chan error, 1)
	go func() { runDone <- sup.Run(ctx) }()
	shipped := func() int { st, _ := status.Read(cfg.StatusPath()); return st.Ship.Shipped }
	waitFor(t, "two segments shipped", func() bool { return shipped() >= 2 })
	sup.shipMu.Lock()
	first := sup.shipper
	sup.shipMu.Unlock()
	before := shipped()

	// Camera b gets a longer segment, as a user edits the config.
	body := strings.Replace(string(mustRead(t, cfgPath)), "  - name: b\n", "  - name: b\n    segment: 4s\n", 1)
	writeFile(t, cfgPath, body)
	next := loadConfig(t, cfgPath)
	if c, _ := next.Camera("b"); c.Segment != 4*time.Second {
		t.Fatalf("edited config: b's segment %v", c.Segment)
	}
	sup.Reload(next)
	waitFor(t, "b recording again after the reload", func() bool {
		st, ok := cameraStatus(t, cfg.StatusPath(), "b")
		return ok && st.Connected
	})
	waitFor(t, "more shipped after the reload", func() bool { return shipped() > before+1 })
	sup.shipMu.Lock()
	same := sup.shipper == first
	sup.shipMu.Unlock()
	if !same {
		t.Error("the shipper was restarted by a reload that changed one camera's segment")
	}
	if got := shipped(); got < before {
		t.Errorf("shipped count went from %d to %d across the reload", before, got)
	}
	cancel()
	<-runDone
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}
