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
	// rclone's S3 server replaces an object by deleting it and renaming
	// the new one in (real S3 replaces atomically), so a file may be
	// missing for an instant while the keeper rewrites it: look again.
	for _, name := range []string{"latest.json", "share.json"} {
		waitFor(t, "one sealed "+name, func() bool { return sealedOnce(t, filepath.Join(srv.Root, "a", "share", "*", name)) })
	}
	b := browsertest.Open(ctx, t, browsertest.Chromium, page, browsertest.Options{})
	if err := b.WaitFor(ctx, `camshare.state().played.length > 0 && document.getElementById("video").currentTime > 0.5`,
		`[camshare.state(), document.getElementById("status").textContent]`); err != nil {
		t.Fatal(err)
	}
}

// sealedOnce says exactly one file matches pattern and it is sealed; an
// unsealed one fails the test at once, a missing or vanished one is false.
func sealedOnce(t *testing.T, pattern string) bool {
	t.Helper()
	files, _ := filepath.Glob(pattern)
	if len(files) > 1 {
		t.Fatalf("%d files match %s: %v", len(files), pattern, files)
	}
	if len(files) == 0 {
		return false
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		return false
	}
	if !bytes.HasPrefix(b, []byte("camseal")) {
		t.Fatalf("%s is not sealed: %.40q", files[0], b)
	}
	return true
}
