package supervisor

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rclone/rclone/fs/operations"

	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/status"
	"github.com/camshare/camshare/internal/testcam"
	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

func testLogger(t *testing.T, dir string) *slog.Logger {
	f, err := os.Create(filepath.Join(dir, "run.log"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		f.Close()
		if t.Failed() {
			b, _ := os.ReadFile(f.Name())
			if len(b) > 20000 {
				b = b[len(b)-20000:]
			}
			t.Logf("supervisor log (tail):\n%s", b)
		}
	})
	return slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func cameraStatus(t *testing.T, path, name string) (status.Camera, bool) {
	st, err := status.Read(path)
	if err != nil {
		return status.Camera{}, false
	}
	for _, c := range st.Cameras {
		if c.Name == name {
			return c, true
		}
	}
	return status.Camera{}, false
}

// Three cameras record and ship to S3; one camera's server goes away and
// comes back while the others never gap; status shows it down; a reload
// removes one camera and adds another without touching the rest.
func TestRunThreeCamerasOutageAndReload(t *testing.T) {
	srv := rclonetest.S3(t)
	dir := t.TempDir()
	cams := map[string]string{}
	a, b, c := testCamera(t), testCamera(t), testCamera(t)
	cams["a"], cams["b"], cams["c"] = a.URL(), b.URL(), c.URL()
	// A fourth camera refuses our password: it must stop alone, visibly.
	locked, err := testcam.Start(testcam.Options{Fixture: "h264", User: "admin", Pass: "right-pass"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(locked.Close)
	cams["locked"] = strings.Replace(locked.URL(), "rtsp://", "rtsp://admin:wrong-pass@", 1)
	const extra = "live: on\nretention:\n  keep: 1d\n"
	cfg := loadConfig(t, writeConfig(t, dir, srv.Remote, cams, extra))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// One low-level retry: the outage below is noticed in seconds.
	ctx, err = remote.Setup(ctx, remote.Options{ConfigPath: filepath.Join(dir, "none.conf"), LowLevelRetries: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Footage from 2020 that retention (1d) must prune at start.
	const old = "20200101/00/20200101T000000+0000.mp4"
	fa, err := remote.Open(ctx, srv.Remote+"/a")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := operations.Rcat(ctx, fa, old, io.NopCloser(strings.NewReader("old")), time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	sup, err := New(Options{Config: cfg, Log: testLogger(t, dir), Interval: 500 * time.Millisecond,
		Rescan: 2 * time.Second, RestartMin: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	runDone := make(chan error, 1)
	go func() { runDone <- sup.Run(ctx) }()
	shipped := func(name string) []seg { return segments(t, filepath.Join(srv.Root, name)) }
	recorded := func(name string) []seg {
		return append(shipped(name), segments(t, filepath.Join(cfg.Dir, name))...)
	}

	// 1. All three record and ship.
	for _, name := range []string{"a", "b", "c"} {
		waitFor(t, name+" shipping", func() bool { return len(shipped(name)) >= 2 })
		s := shipped(name)
		probe(t, s[len(s)-1].Path)
	}
	waitFor(t, "the locked camera marked stopped", func() bool {
		st, ok := cameraStatus(t, cfg.StatusPath(), "locked")
		return ok && st.Stopped && st.LastError != ""
	})
	if st, _ := cameraStatus(t, cfg.StatusPath(), "locked"); strings.Contains(st.LastError, "wrong-pass") {
		t.Errorf("status leaks the password: %s", st.LastError)
	} else {
		t.Logf("locked camera: %s", st.LastError)
	}
	waitFor(t, "old footage pruned", func() bool {
		_, err := os.Stat(filepath.Join(srv.Root, "a", old))
		st, _ := status.Read(cfg.StatusPath())
		return os.IsNotExist(err) && !st.Prune.Last.IsZero() && st.Prune.Deleted >= 1
	})
	// The live page is written at start and its index follows uploads.
	aStatus, _ := cameraStatus(t, cfg.StatusPath(), "a")
	if !strings.HasPrefix(aStatus.Page, "http") {
		t.Errorf("camera a has no live page in status: %+v", aStatus)
	}
	pages, _ := filepath.Glob(filepath.Join(srv.Root, "a", "share", "*", "index.html"))
	if len(pages) != 1 || !strings.Contains(aStatus.Page, "/share/"+filepath.Base(filepath.Dir(pages[0]))+"/index.html") {
		t.Errorf("camera a's live page: %q on the remote, %q in status", pages, aStatus.Page)
	}
	index := func() string {
		if len(pages) == 0 {
			return ""
		}
		b, _ := os.ReadFile(filepath.Join(filepath.Dir(pages[0]), "latest.json"))
		return string(b)
	}
	latest := shipped("a")
	waitFor(t, "a's index listing its newest upload", func() bool {
		s := shipped("a")
		return len(s) > len(latest) && strings.Contains(index(), s[len(s)-1].Name)
	})

	// 2. Camera b's server stops, and the remote too: status says so
	// within one reconnect interval (record's backoff is at most 30s); a
	// and c never gap; footage queues locally and drains once it is back.
	outageStart := time.Now()
	b.Stop()
	srv.Stop()
	waitFor(t, "status showing b down", func() bool {
		st, ok := cameraStatus(t, cfg.StatusPath(), "b")
		return ok && !st.Connected
	})
	if took := time.Since(outageStart); took > 30*time.Second {
		t.Errorf("status showed b down after %s, more than one reconnect interval", took)
	}
	out, err := exec.Command(binary, "status", "--state", cfg.StatusPath(), "--json", "--down-after", "1ms").Output()
	var report struct {
		OK       bool     `json:"ok"`
		Problems []string `json:"problems"`
	}
	if json.Unmarshal(out, &report); err == nil || report.OK || !strings.Contains(strings.Join(report.Problems, ";"), "camera b down") {
		t.Errorf("status --json with b down: err %v, %s", err, out)
	}
	waitFor(t, "status showing the upload queue and the outage", func() bool {
		st, err := status.Read(cfg.StatusPath())
		return err == nil && st.Ship.Outage && st.Ship.Queued >= 2 && st.Ship.OldestFile != ""
	})
	time.Sleep(4 * time.Second)
	srv.Start()
	if err := b.Restart(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the queue draining", func() bool {
		st, err := status.Read(cfg.StatusPath())
		return err == nil && !st.Ship.Outage && st.Ship.Queued == 0
	})
	waitFor(t, "b reconnecting", func() bool {
		st, ok := cameraStatus(t, cfg.StatusPath(), "b")
		return ok && st.Connected && st.Reconnects == 1
	})
	outageEnd := time.Now()
	for _, name := range []string{"a", "c"} {
		waitFor(t, name+" recording past the outage", func() bool {
			s := recorded(name)
			return len(s) > 0 && s[len(s)-1].Start.After(outageEnd.Add(2*time.Second))
		})
		continuous(t, name, recorded(name), outageStart.Add(-2*time.Second), outageEnd.Add(2*time.Second))
	}
	aBefore, _ := cameraStatus(t, cfg.StatusPath(), "a")

	// 3. Reload: c leaves, d joins, a and b keep recording untouched.
	d := testCamera(t)
	delete(cams, "c")
	cams["d"] = d.URL()
	sup.Reload(loadConfig(t, writeConfig(t, dir, srv.Remote, cams, "")))
	waitFor(t, "d shipping", func() bool { return len(shipped("d")) >= 1 })
	waitFor(t, "c gone from status", func() bool {
		_, ok := cameraStatus(t, cfg.StatusPath(), "c")
		return !ok
	})
	aAfter, _ := cameraStatus(t, cfg.StatusPath(), "a")
	if !aAfter.Connected || !aAfter.Since.Equal(aBefore.Since) || aAfter.Reconnects != 0 {
		t.Errorf("a was disturbed by the reload: before %+v after %+v", aBefore, aAfter)
	}

	cancel()
	select {
	case err := <-runDone:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if tmp := tmpFiles(cfg.Dir); len(tmp) > 0 {
		t.Errorf("unfinished segments left: %v", tmp)
	}
}
