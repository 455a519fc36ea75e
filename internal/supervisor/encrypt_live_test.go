package supervisor

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/testkit/browsertest"
	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

// encrypt: true with the live page, end to end from run: footage and index
// go up sealed, status holds the link with its key, and the page decrypts
// and plays in a browser (a bucket that serves unsigned, as public-read).
func TestRunEncryptedLivePage(t *testing.T) {
	srv := rclonetest.PublicS3(t)
	dir := t.TempDir()
	cam := testCamera(t)
	cfg := loadConfig(t, writeConfig(t, dir, srv.Remote, map[string]string{"a": cam.URL()}, "encrypt: true\nlive: on\n"))
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	ctx, err := remote.Setup(ctx, remote.Options{ConfigPath: filepath.Join(dir, "none.conf")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sup, err := New(Options{Config: cfg, Log: testLogger(t, dir), Interval: 500 * time.Millisecond, Rescan: 2 * time.Second, RestartMin: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	go sup.Run(ctx)
	waitFor(t, "shipping", func() bool { return len(segments(t, filepath.Join(srv.Root, "a"))) >= 2 })
	var page string
	waitFor(t, "the live page in status", func() bool {
		st, _ := cameraStatus(t, cfg.StatusPath(), "a")
		page = st.Page
		return strings.Contains(page, "/share/") && strings.Contains(page, "#k=")
	})
	for _, name := range []string{"latest.json", "share.json"} {
		files, _ := filepath.Glob(filepath.Join(srv.Root, "a", "share", "*", name))
		for _, f := range files {
			if b, _ := os.ReadFile(f); !bytes.HasPrefix(b, []byte("camseal")) {
				t.Errorf("%s is not sealed", f)
			}
		}
		if len(files) != 1 {
			t.Errorf("%d %s on the remote", len(files), name)
		}
	}
	b := browsertest.Open(ctx, t, browsertest.Chromium, page, browsertest.Options{})
	if err := b.WaitFor(ctx, `camshare.state().played.length > 0 && document.getElementById("video").currentTime > 0.5`,
		`[camshare.state(), document.getElementById("status").textContent]`); err != nil {
		t.Fatal(err)
	}
}
