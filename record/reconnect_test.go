package record

import (
	"testing"
	"time"

	"github.com/camshare/camshare/internal/testcam"
)

// checkAll decodes every closed segment and checks none is longer than a
// segment plus a GOP (a timestamp jump must never stretch a file).
func checkAll(t *testing.T, r *recorder, dir string, segment time.Duration) {
	t.Helper()
	segs := r.segments()
	if mp4 := files(t, dir, ".mp4"); len(mp4) != len(segs) {
		t.Errorf("%d .mp4 files but %d SegmentClosed events", len(mp4), len(segs))
	}
	if tmp := files(t, dir, ".tmp"); len(tmp) != 0 {
		t.Errorf(".tmp files left: %v", tmp)
	}
	for _, ev := range segs {
		t.Log(describe(ev))
		decodes(t, ev.Segment.Path)
		if ev.Segment.Duration > segment+gop+frame {
			t.Errorf("%s lasts %v", ev.Segment.Name, ev.Segment.Duration)
		}
		if _, end := packetSpan(t, ev.Segment.Path, "v"); !within(end, ev.Segment.Duration, frame/2) {
			t.Errorf("%s: video packets end at %v, event says %v", ev.Segment.Name, end, ev.Segment.Duration)
		}
	}
}

// TestCameraRestart: the camera goes away mid-recording and comes back on
// the same address with fresh timestamps (a reboot): the open segment is
// closed, the recorder reconnects by itself, and every file is valid.
func TestCameraRestart(t *testing.T) {
	cam := startCam(t, testcam.Options{Fixture: "h264_pcma"})
	dir := t.TempDir()
	r := startRecorder(t, Options{URL: cam.URL(), Dir: dir, Segment: 2 * time.Second, Scheme: utcScheme(t)})
	waitFor(t, 20*time.Second, "connection", func() bool { return r.ev.count(Connected) == 1 })
	time.Sleep(3 * time.Second)
	cam.Stop()
	waitFor(t, 30*time.Second, "the loss to be noticed", func() bool { return r.ev.count(Disconnected) == 1 })
	before := len(r.segments())
	time.Sleep(time.Second)
	if err := cam.Restart(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 60*time.Second, "reconnection", func() bool { return r.ev.count(Connected) == 2 })
	time.Sleep(3 * time.Second)
	if err := r.stop(t); err != nil {
		t.Fatal(err)
	}
	if before == 0 || len(r.segments()) <= before {
		t.Errorf("segments: %d before the restart, %d in all", before, len(r.segments()))
	}
	for _, ev := range r.ev.list() {
		if ev.Kind == Disconnected && ev.Err == nil {
			t.Error("Disconnected event without the reason")
		}
	}
	checkAll(t, r, dir, 2*time.Second)
}

// TestTimestampJumps: the camera's clock jumps forward and back mid-stream;
// the recorder closes the file at the last good frame and resyncs, so no
// file is corrupt or stretched over the jump.
func TestTimestampJumps(t *testing.T) {
	cam := startCam(t, testcam.Options{Fixture: "h264_aac"})
	dir := t.TempDir()
	r := startRecorder(t, Options{URL: cam.URL(), Dir: dir, Segment: 2 * time.Second, Scheme: utcScheme(t)})
	waitFor(t, 20*time.Second, "connection", func() bool { return r.ev.count(Connected) == 1 })
	time.Sleep(2500 * time.Millisecond)
	cam.JumpTimestamps(time.Hour)
	time.Sleep(2500 * time.Millisecond)
	cam.JumpTimestamps(-90 * time.Minute)
	time.Sleep(2500 * time.Millisecond)
	if err := r.stop(t); err != nil {
		t.Fatal(err)
	}
	if n := r.ev.count(Disconnected); n != 0 {
		t.Errorf("a timestamp jump is not a disconnection (%d)", n)
	}
	if len(r.segments()) < 4 {
		t.Errorf("only %d segments", len(r.segments()))
	}
	checkAll(t, r, dir, 2*time.Second)
}

// TestUDPTransport: --transport udp records the same valid files.
func TestUDPTransport(t *testing.T) {
	cam := startCam(t, testcam.Options{Fixture: "h264_pcmu"})
	dir := t.TempDir()
	r := startRecorder(t, Options{URL: cam.URL(), Dir: dir, Segment: 2 * time.Second, Transport: "udp", Scheme: utcScheme(t)})
	waitFor(t, 30*time.Second, "two closed segments", func() bool { return len(r.segments()) >= 2 })
	if err := r.stop(t); err != nil {
		t.Fatal(err)
	}
	checkAll(t, r, dir, 2*time.Second)
	for _, ev := range r.segments() {
		if a := probe(t, ev.Segment.Path)["audio"]; a.CodecName != "aac" {
			t.Errorf("%s: audio %q over UDP", ev.Segment.Name, a.CodecName)
		}
	}
}
