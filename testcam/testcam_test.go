package testcam

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
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
	"h264":           {"h264"},
	"h265_pcma":      {"hevc", "pcm_alaw"},
	"h264_spschange": {"h264", "pcm_alaw"},
	"mjpeg":          {"mjpeg"},
}

func TestFixturesProbe(t *testing.T) {
	if got, want := strings.Join(Fixtures(), " "), "h264 h264_aac h264_pcma h264_pcmu h264_spschange h265_pcma mjpeg"; got != want {
		t.Fatalf("Fixtures() = %s, want %s", got, want)
	}
	for _, name := range Fixtures() {
		t.Run(name, func(t *testing.T) {
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
