package record

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/testcam"
)

// runFor runs the recorder with a context of the given length and returns
// its error and how long it took.
func runFor(t *testing.T, o Options, d time.Duration) (error, time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if o.Log == nil {
		o.Log = testLog(t)
	}
	start := time.Now()
	err := Run(ctx, o)
	return err, time.Since(start)
}

// TestPermanentErrors: what retrying cannot fix ends Run at once with a
// one-line error that says what is wrong and holds no password.
func TestPermanentErrors(t *testing.T) {
	const secret = "s3cr3t-Pa55"
	authCam := startCam(t, testcam.Options{Fixture: "h264", User: "admin", Pass: "right-one"})
	mjpeg := startCam(t, testcam.Options{Fixture: "mjpeg"})
	withUser := func(rawURL, user, pass string) string {
		return strings.Replace(rawURL, "rtsp://", "rtsp://"+user+":"+pass+"@", 1)
	}
	cases := []struct {
		name, url, password, want string
	}{
		{"wrong password", withUser(authCam.URL(), "admin", secret), "", "401"},
		{"wrong password from file", withUser(authCam.URL(), "admin", "x"), secret, "401"},
		{"no such path", withUser(strings.Replace(authCam.URL(), "/stream", "/nope", 1), "admin", "right-one") + "?token=" + secret, "", "404"},
		{"unsupported codec", withUser(mjpeg.URL(), "admin", secret), "", "unsupported video codec"},
		{"not rtsp", "http://admin:" + secret + "@example.com/stream", "", "scheme"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// The context is long: a permanent error must not wait for it.
			err, took := runFor(t, Options{URL: tc.url, Password: tc.password, Dir: t.TempDir()}, 60*time.Second)
			if err == nil {
				t.Fatal("Run returned nil")
			}
			msg := err.Error()
			t.Logf("error after %v: %s", took.Round(time.Millisecond), msg)
			if took > 20*time.Second {
				t.Errorf("took %v: a permanent error must end Run at once", took)
			}
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error %q does not mention %q", msg, tc.want)
			}
			if strings.Contains(msg, secret) || strings.Contains(msg, "right-one") {
				t.Errorf("error leaks the password: %q", msg)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error is not one line: %q", msg)
			}
		})
	}
}

// TestPasswordOption: a password given separately replaces a wrong one in
// the URL and the camera records.
func TestPasswordOption(t *testing.T) {
	cam := startCam(t, testcam.Options{Fixture: "h264", User: "admin", Pass: "right-one"})
	url := strings.Replace(cam.URL(), "rtsp://", "rtsp://admin:wrong@", 1)
	r := startRecorder(t, Options{URL: url, Password: "right-one", Dir: t.TempDir(), Segment: time.Second})
	waitFor(t, 20*time.Second, "a recorded segment", func() bool { return len(r.segments()) > 0 })
	if err := r.stop(t); err != nil {
		t.Fatal(err)
	}
}

// TestRefusedPort: nothing listening is not permanent (a camera may still
// be booting): Run keeps retrying until its context ends, then says the
// camera was never reached, without the password.
func TestRefusedPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	err, took := runFor(t, Options{URL: "rtsp://admin:hunter2@" + addr + "/stream", Dir: t.TempDir()}, 3*time.Second)
	if err == nil {
		t.Fatal("Run returned nil for a camera it never reached")
	}
	t.Logf("error after %v: %s", took.Round(time.Millisecond), err)
	if took < 2*time.Second {
		t.Errorf("gave up after %v: connection refused must be retried", took)
	}
	if msg := err.Error(); strings.Contains(msg, "hunter2") || !strings.Contains(msg, "refused") || !strings.Contains(msg, "never reached") {
		t.Errorf("unclear or leaking error: %q", msg)
	}
}

// TestHTTPServer: a camera URL pointing at a web server (the camera's own
// web interface, a wrong port) is said to be one, and Run stops instead of
// retrying forever.
func TestHTTPServer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "not here", http.StatusBadRequest)
	}))
	defer srv.Close()
	u := "rtsp://" + strings.TrimPrefix(srv.URL, "http://") + "/stream"
	err, took := runFor(t, Options{URL: u, Dir: t.TempDir()}, 20*time.Second)
	if err == nil || !strings.Contains(err.Error(), "this is not an RTSP server (it answered HTTP)") || took > 10*time.Second {
		t.Fatalf("after %v: %v", took, err)
	}
}
