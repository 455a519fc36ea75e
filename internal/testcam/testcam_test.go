package testcam

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
)

// Real-time streams on a shared machine: be generous.
const toolTimeout = 60 * time.Second

func startCam(t *testing.T, o Options) *Camera {
	t.Helper()
	c, err := Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// tool runs ffmpeg/ffprobe and returns stdout, stderr and the error.
func tool(t *testing.T, name string, args ...string) (string, string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return out.String(), errb.String(), err
}

// probeCodecs lists codec_name of each stream ffprobe finds at url.
func probeCodecs(t *testing.T, transport, url string) ([]string, error) {
	t.Helper()
	out, stderr, err := tool(t, "ffprobe", "-v", "error", "-rtsp_transport", transport,
		"-show_entries", "stream=codec_name", "-of", "csv=p=0", url)
	if err != nil {
		return nil, &probeError{err, stderr}
	}
	return strings.Fields(out), nil
}

type probeError struct {
	err    error
	stderr string
}

func (p *probeError) Error() string { return p.err.Error() + ": " + strings.TrimSpace(p.stderr) }

var wantCodecs = map[string][]string{
	"h264_pcma":      {"h264", "pcm_alaw"},
	"h264_pcmu":      {"h264", "pcm_mulaw"},
	"h264_aac":       {"h264", "aac"},
	"h264_l16":       {"h264", "pcm_s16be"},
	"h264_opus":      {"h264", "opus"},
	"h264_mp3":       {"h264", "mp3"},
	"h264":           {"h264"},
	"h265_pcma":      {"hevc", "pcm_alaw"},
	"h264_spschange": {"h264", "pcm_alaw"},
	"mjpeg":          {"mjpeg"},
}

func TestFixturesProbe(t *testing.T) {
	if got, want := strings.Join(Fixtures(), " "), "h264 h264_aac h264_l16 h264_mp3 h264_opus h264_pcma h264_pcmu h264_spschange h265_pcma mjpeg"; got != want {
		t.Fatalf("Fixtures() = %s, want %s", got, want)
	}
	for _, name := range Fixtures() {
		t.Run(name, func(t *testing.T) {
			t.Parallel() // mostly waiting on real-time streams
			c := startCam(t, Options{Fixture: name})
			got, err := probeCodecs(t, "tcp", c.URL())
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, ",") != strings.Join(wantCodecs[name], ",") {
				t.Fatalf("ffprobe codecs = %v, want %v", got, wantCodecs[name])
			}
		})
	}
}

// decodeErrors has ffmpeg read seconds of the stream and returns what it
// logged at level error (nothing, for a clean stream).
func decodeErrors(t *testing.T, transport, url string, seconds string) string {
	t.Helper()
	// showinfo marks where the first keyframe is decoded: a client joining
	// mid-GOP (a 2 s GOP, as cameras send) misses references until then,
	// as with a real camera, and ffmpeg says so at error level. Errors
	// after the first keyframe are real.
	_, stderr, err := tool(t, "ffmpeg", "-nostdin", "-loglevel", "level+info", "-threads", "1",
		"-rtsp_transport", transport, "-i", url, "-t", seconds, "-vf", "showinfo", "-f", "null", "-")
	if err != nil {
		return err.Error() + ": " + stderr
	}
	var bad []string
	keyed := false
	for _, l := range strings.Split(stderr, "\n") {
		if strings.Contains(l, "Parsed_showinfo") && strings.Contains(l, "iskey:1") {
			keyed = true
		}
		if !strings.Contains(l, "[error]") && !strings.Contains(l, "[fatal]") {
			continue
		}
		if !keyed && joinedMidGOP(l) {
			continue
		}
		bad = append(bad, l)
	}
	return strings.Join(bad, "\n")
}

// joinedMidGOP tells ffmpeg's complaints about references from before the
// client joined.
func joinedMidGOP(line string) bool {
	for _, m := range []string{"Missing reference picture", "decode_slice_header error", "no frame!", "Could not find ref with POC", "reference picture missing"} {
		if strings.Contains(line, m) {
			return true
		}
	}
	return false
}

func TestDecodeH264PCMA(t *testing.T) {
	t.Parallel()
	for _, transport := range []string{"tcp", "udp"} {
		t.Run(transport, func(t *testing.T) {
			c := startCam(t, Options{})
			if e := decodeErrors(t, transport, c.URL(), "3"); e != "" {
				t.Fatalf("ffmpeg over %s: %s", transport, e)
			}
			if n := c.FramesSent(); n < 25 {
				t.Fatalf("FramesSent = %d after 3 s of decoding, want ≥ 25", n)
			}
		})
	}
}

// Every fixture decodes cleanly, except that a client joining an H.265
// stream mid-GOP misses references until the next keyframe, as with a real
// camera (ffmpeg says so at error level; H.264 it conceals quietly).
func TestDecodeAllFixtures(t *testing.T) {
	for _, name := range Fixtures() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := startCam(t, Options{Fixture: name})
			var bad []string
			for _, l := range strings.Split(decodeErrors(t, "tcp", c.URL(), "3"), "\n") {
				if l != "" && !(name == "h265_pcma" && strings.Contains(l, "Could not find ref with POC")) {
					bad = append(bad, l)
				}
			}
			if len(bad) > 0 {
				t.Fatalf("ffmpeg: %s", strings.Join(bad, "\n"))
			}
		})
	}
}

func TestAuth(t *testing.T) {
	t.Parallel()
	c := startCam(t, Options{User: "cam", Pass: "s3cret", Path: "/live/main"})
	if strings.Contains(c.URL(), "s3cret") || !strings.HasSuffix(c.URL(), "/live/main") {
		t.Fatalf("URL() = %q", c.URL())
	}
	withCreds := func(user, pass string) string {
		return strings.Replace(c.URL(), "rtsp://", "rtsp://"+user+":"+pass+"@", 1)
	}
	if got, err := probeCodecs(t, "tcp", withCreds("cam", "s3cret")); err != nil || len(got) != 2 {
		t.Fatalf("right credentials: %v %v", got, err)
	}
	for name, url := range map[string]string{
		"wrong password": withCreds("cam", "wrong"),
		"wrong user":     withCreds("nobody", "s3cret"),
		"none":           c.URL(),
	} {
		_, err := probeCodecs(t, "tcp", url)
		if err == nil || !strings.Contains(err.Error(), "401") {
			t.Errorf("%s: want a 401 error, got %v", name, err)
		}
	}
	wrongPath := strings.Replace(withCreds("cam", "s3cret"), "/live/main", "/other", 1)
	if _, err := probeCodecs(t, "tcp", wrongPath); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("wrong path: want a 404 error, got %v", err)
	}
}

func TestStopRestartSameAddress(t *testing.T) {
	t.Parallel()
	c := startCam(t, Options{Fixture: "h264"})
	url, addr := c.URL(), c.Addr()
	if _, err := probeCodecs(t, "tcp", url); err != nil {
		t.Fatal(err)
	}
	c.Stop()
	c.Stop() // idempotent
	if _, err := probeCodecs(t, "tcp", url); err == nil {
		t.Fatal("stopped camera still answers")
	}
	if err := c.Restart(); err != nil {
		t.Fatal(err)
	}
	if c.Addr() != addr || c.URL() != url {
		t.Fatalf("restarted on %s (%s), want %s", c.Addr(), c.URL(), addr)
	}
	for _, transport := range []string{"tcp", "udp"} {
		if e := decodeErrors(t, transport, url, "1"); e != "" {
			t.Fatalf("after restart, over %s: %s", transport, e)
		}
	}
	if err := c.Restart(); err != nil { // restart while running = reboot
		t.Fatal(err)
	}
	if _, err := probeCodecs(t, "tcp", url); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if err := c.Restart(); err == nil {
		t.Fatal("Restart after Close succeeded")
	}
}

func TestFixedAddressAndUnknownFixture(t *testing.T) {
	if _, err := Start(Options{Fixture: "vp9"}); err == nil || !strings.Contains(err.Error(), "unknown fixture") {
		t.Fatalf("unknown fixture: %v", err)
	}
	c := startCam(t, Options{Addr: "0.0.0.0:0", Path: "cam1"})
	if !strings.HasPrefix(c.URL(), "rtsp://127.0.0.1:") || !strings.HasSuffix(c.URL(), "/cam1") {
		t.Fatalf("URL() = %q", c.URL())
	}
	if _, err := probeCodecs(t, "tcp", c.URL()); err != nil {
		t.Fatal(err)
	}
	if _, err := Start(Options{Addr: c.Addr()}); err == nil {
		t.Fatal("second camera on a busy address started")
	}
}

// FixtureInfo matches what the fixture files really hold.
func TestFixtureInfo(t *testing.T) {
	audioCodec := map[string]string{"pcma": "pcm_alaw", "pcmu": "pcm_mulaw", "aac": "aac", "l16": "pcm_s16be", "opus": "opus", "mp3": "mp3"}
	videoCodec := map[string]string{"h264": "h264", "h265": "hevc", "mjpeg": "mjpeg"}
	for _, name := range Fixtures() {
		info, ok := FixtureInfo(name)
		if !ok {
			t.Fatalf("no info for %s", name)
		}
		want := []string{videoCodec[info.Video]}
		if info.Audio != "" {
			want = append(want, audioCodec[info.Audio])
		}
		if strings.Join(want, ",") != strings.Join(wantCodecs[name], ",") {
			t.Errorf("%s: info %+v says %v, stream has %v", name, info, want, wantCodecs[name])
		}
		tracks, err := loadFixture(name)
		if err != nil {
			t.Fatal(err)
		}
		v := tracks[0]
		if got := ticksToDuration(v.loopTicks, v.clockRate); got != info.Pass || len(v.samples) != info.FPS*10 {
			t.Errorf("%s: pass %v with %d frames, info says %v at %d fps", name, got, len(v.samples), info.Pass, info.FPS)
		}
		isKey := map[string]func([][]byte) bool{"h264": h264.IsRandomAccess, "h265": h265.IsRandomAccess}[info.Video]
		for i, s := range v.samples {
			if isKey != nil && isKey(s.data) != (i%info.GOP == 0) {
				t.Errorf("%s: frame %d keyframe=%v, want one every %d frames", name, i, isKey(s.data), info.GOP)
			}
		}
	}
	if _, ok := FixtureInfo("nope"); ok {
		t.Error("info for an unknown fixture")
	}
}
