package record

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/testcam"
)

// frame is one video frame of the fixtures (15 fps).
const frame = time.Second / 15

// gop is the fixtures' keyframe interval (30 frames).
const gop = 2 * time.Second

// utcScheme names files in UTC so boundaries are easy to check.
func utcScheme(t *testing.T) *layout.Scheme {
	t.Helper()
	s, err := layout.New(layout.DefaultName, layout.DefaultDir, true)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// testLog sends the recorder's log to the test log (shown on failure).
func testLog(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// startCam starts a test camera and stops it when the test ends.
func startCam(t *testing.T, o testcam.Options) *testcam.Camera {
	t.Helper()
	cam, err := testcam.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cam.Close)
	return cam
}

// events collects what Run reports.
type events struct {
	mu  sync.Mutex
	all []Event
}

func (e *events) add(ev Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.all = append(e.all, ev)
}

func (e *events) list() []Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Event(nil), e.all...)
}

func (e *events) count(k EventKind) int {
	n := 0
	for _, ev := range e.list() {
		if ev.Kind == k {
			n++
		}
	}
	return n
}

// waitFor polls until cond holds or the timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// recorder runs Run in the background; stop cancels it and returns its error.
type recorder struct {
	ev     *events
	cancel context.CancelFunc
	done   chan error
}

func startRecorder(t *testing.T, o Options) *recorder {
	t.Helper()
	r := &recorder{ev: &events{}, done: make(chan error, 1)}
	o.Events = r.ev.add
	if o.Log == nil {
		o.Log = testLog(t)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() { r.done <- Run(ctx, o) }()
	t.Cleanup(func() { cancel(); <-r.done })
	return r
}

func (r *recorder) stop(t *testing.T) error {
	t.Helper()
	r.cancel()
	select {
	case err := <-r.done:
		r.done <- err // for the cleanup
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return 30s after cancel")
		return nil
	}
}

// segments are the SegmentClosed infos in order.
func (r *recorder) segments() []Event {
	var out []Event
	for _, ev := range r.ev.list() {
		if ev.Kind == SegmentClosed {
			out = append(out, ev)
		}
	}
	return out
}

// decodes fails the test unless ffmpeg decodes the whole file without a
// single complaint.
func decodes(t *testing.T, path string) {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-i", path, "-f", "null", "-").CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("%s does not decode cleanly: %v\n%s", filepath.Base(path), err, out)
	}
}

// probeStream is what ffprobe says about one stream.
type probeStream struct {
	CodecType string `json:"codec_type"`
	CodecName string `json:"codec_name"`
	CodecTag  string `json:"codec_tag_string"`
	Width     int    `json:"width"`
	Height    int    `json:"height"`
	Rate      string `json:"sample_rate"`
	StartTime string `json:"start_time"`
	Duration  string `json:"duration"`
}

func (s probeStream) start() float64 { v, _ := strconv.ParseFloat(s.StartTime, 64); return v }
func (s probeStream) dur() float64   { v, _ := strconv.ParseFloat(s.Duration, 64); return v }

// aacFrame is how long one AAC access unit (1024 samples) of the stream lasts.
func (s probeStream) aacFrame() time.Duration {
	r, _ := strconv.Atoi(s.Rate)
	if r == 0 {
		return 0
	}
	return time.Duration(1024 * int64(time.Second) / int64(r))
}

// probe lists a file's streams by type ("video", "audio").
func probe(t *testing.T, path string) map[string]probeStream {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-show_streams", "-of", "json", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	var r struct{ Streams []probeStream }
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatal(err)
	}
	m := map[string]probeStream{}
	for _, s := range r.Streams {
		m[s.CodecType] = s
	}
	return m
}

// packetLines lists a stream's packets as "pts,duration" (seconds).
func packetLines(t *testing.T, path, stream string) []string {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", stream, "-show_entries", "packet=pts_time,duration_time", "-of", "csv=p=0", path).Output()
	if err != nil {
		t.Fatalf("ffprobe packets %s: %v", path, err)
	}
	return strings.Fields(string(out))
}

// packetSpan is where a stream's packets begin and end (last pts +
// duration), read from the packets themselves rather than the headers.
func packetSpan(t *testing.T, path, stream string) (first, end time.Duration) {
	t.Helper()
	prev := 0.0
	for i, l := range packetLines(t, path, stream) {
		pts, dur, _ := strings.Cut(l, ",")
		p, _ := strconv.ParseFloat(pts, 64)
		d, err := strconv.ParseFloat(dur, 64)
		if err != nil && i > 0 {
			// ffprobe gives no packet durations for Opus in MP4 ("N/A"):
			// a packet lasts as long as the one before it.
			d = p - prev
		}
		if i == 0 {
			first = secs(p)
		}
		end = max(end, secs(p+d))
		prev = p
	}
	return first, end
}

// frameSizes lists the distinct decoded picture sizes in a file.
func frameSizes(t *testing.T, path string) []string {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v", "-show_entries", "frame=width,height", "-of", "csv=p=0", path).Output()
	if err != nil {
		t.Fatalf("ffprobe frames %s: %v", path, err)
	}
	seen := map[string]bool{}
	var sizes []string
	for _, l := range strings.Fields(string(out)) {
		if !seen[l] {
			seen[l] = true
			sizes = append(sizes, l)
		}
	}
	return sizes
}

// files lists the segments in dir with extension ext (.tmp: unfinished).
// The day's timelapse is not one: it stays open until midnight, across
// restarts, by design (daily.go).
func files(t *testing.T, dir, ext string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*"+ext))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range m {
		if _, _, lapse := layout.Default().TimelapseOfLocal(filepath.Base(p)); !lapse {
			out = append(out, p)
		}
	}
	return out
}

// within reports whether got is want ± tol.
func within(got, want, tol time.Duration) bool {
	d := got - want
	return d <= tol && d >= -tol
}

func secs(f float64) time.Duration { return time.Duration(f * float64(time.Second)) }

func describe(ev Event) string {
	s := ev.Segment
	return fmt.Sprintf("%s start=%s dur=%v", s.Name, s.Start.UTC().Format("15:04:05.000"), s.Duration)
}

func mustExist(t *testing.T, p string) {
	t.Helper()
	if _, err := os.Stat(p); err != nil {
		t.Fatal(err)
	}
}
