package doctor

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/config"
	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/testcam"
	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

func cam(t *testing.T, o testcam.Options) *testcam.Camera {
	t.Helper()
	c, err := testcam.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func setup(t *testing.T) context.Context {
	t.Helper()
	ctx, err := remote.Setup(context.Background(), remote.Options{ConfigPath: filepath.Join(t.TempDir(), "none.conf")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ctx
}

func find(t *testing.T, rs []Result, name string) Result {
	t.Helper()
	for _, r := range rs {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no check %q in %+v", name, rs)
	return Result{}
}

func closedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// Real cameras and a real S3 server: every check says what it should, and
// the probe object does not stay behind.
func TestDoctorChecks(t *testing.T) {
	ctx := setup(t)
	srv := rclonetest.S3(t)
	good := cam(t, testcam.Options{}) // H.264 + G.711, what cheap cameras send
	locked := cam(t, testcam.Options{Fixture: "h264", User: "admin", Pass: "right"})
	mjpeg := cam(t, testcam.Options{Fixture: "mjpeg"})
	cfg := &config.Config{Path: "test.yaml", Remote: srv.Remote, Dir: t.TempDir(), Live: config.Live{Enabled: true},
		Cameras: []config.Camera{
			{Name: "good", URL: good.URL(), Audio: "auto"},
			{Name: "locked", URL: strings.Replace(locked.URL(), "rtsp://", "rtsp://admin@", 1), Password: "wrong-secret", PasswordEnv: "DOOR_PASS", Audio: "auto"},
			{Name: "mjpeg", URL: mjpeg.URL(), Audio: "auto"},
			{Name: "gone", URL: "rtsp://" + closedPort(t) + "/stream", Audio: "auto"},
		}}
	rs := Run(ctx, Options{Config: cfg, Timeout: 20 * time.Second})
	var buf bytes.Buffer
	Print(&buf, rs)
	report := buf.String()
	t.Log("\n" + report)
	if strings.Contains(report, "wrong-secret") {
		t.Error("the report shows a password")
	}
	check := func(name string, level Level, detail, hint string) {
		t.Helper()
		r := find(t, rs, name)
		if r.Level != level || !strings.Contains(r.Detail, detail) || !strings.Contains(r.Hint, hint) {
			t.Errorf("%s = %+v, want %s with %q / hint %q", name, r, level, detail, hint)
		}
	}
	check("camera good", Pass, "video H264", "")
	check("camera good audio", Pass, "G.711, recorded as AAC-LC", "")
	check("camera locked", Fail, "401", "$DOOR_PASS")
	check("camera mjpeg", Fail, "no H.264/H.265 video", "H.264")
	check("camera gone", Fail, "connection refused", "nothing listens")
	check("remote :s3,…:bucket", Pass, "write/read/delete ok", "")
	if strings.Contains(report, rclonetest.SecretKey) {
		t.Error("the report shows the remote's secret key")
	}
	check("share links", Pass, "http://127.0.0.1", "")
	check("clock", Pass, "of the remote's server (127.0.0.1", "")
	check("disk", Pass, "free of", "")
	if !Failed(rs) {
		t.Error("Failed() is false with failing cameras")
	}
	entries, _ := os.ReadDir(srv.Root)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".camshare-doctor") {
			t.Errorf("probe %s left on the remote", e.Name())
		}
	}
}

// A remote without links fails the links check when the live page is on;
// a full disk fails against min_free; Android hints appear when asked.
func TestDoctorLocalRemoteDiskAndroid(t *testing.T) {
	ctx := setup(t)
	cfg := &config.Config{Path: "test.yaml", Remote: t.TempDir(), Dir: filepath.Join(t.TempDir(), "not", "yet"),
		MinFree: 1 << 60, Live: config.Live{Enabled: true}}
	rs := Run(ctx, Options{Config: cfg, Android: true})
	var buf bytes.Buffer
	Print(&buf, rs)
	t.Log("\n" + buf.String())
	if r := find(t, rs, "remote "+cfg.Remote); r.Level != Pass {
		t.Errorf("remote: %+v", r)
	}
	if r := find(t, rs, "share links"); r.Level != Fail || !strings.Contains(r.Hint, "live: off") {
		t.Errorf("links: %+v", r)
	}
	if r := find(t, rs, "clock"); r.Level != Info {
		t.Errorf("clock: %+v", r)
	}
	if r := find(t, rs, "disk"); r.Level != Fail || !strings.Contains(r.Hint, "min_free") {
		t.Errorf("disk: %+v", r)
	}
	if r := find(t, rs, "android phantom processes"); !strings.Contains(r.Hint, "settings_enable_monitor_phantom_procs false") {
		t.Errorf("android: %+v", r)
	}
}

// A server whose Date is an hour off makes the clock check fail.
func TestDoctorClockSkew(t *testing.T) {
	ctx := setup(t)
	srv := rclonetest.S3(t)
	skewed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat))
	}))
	defer skewed.Close()
	f, err := remote.Open(ctx, srv.Remote)
	if err != nil {
		t.Fatal(err)
	}
	spec := ":s3,provider=Other,endpoint='" + skewed.URL + "':bucket"
	r := checkClock(ctx, Options{Timeout: 10 * time.Second, Now: time.Now}, f, spec, "none", time.Now())
	if r.Level != Fail || !strings.Contains(r.Detail, "ahead of") || !strings.Contains(r.Hint, "automatic") {
		t.Fatalf("clock = %+v", r)
	}
}
