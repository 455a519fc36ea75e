package redact

import (
	"errors"
	"strings"
	"testing"
)

func TestURL(t *testing.T) {
	cases := map[string]string{
		"rtsp://admin:s3cret@10.0.0.2:554/h264": "rtsp://admin:xxxxx@10.0.0.2:554/h264",
		"rtsp://10.0.0.2/h264":                  "rtsp://10.0.0.2/h264",
		"rtsp://admin@10.0.0.2/h264":            "rtsp://admin@10.0.0.2/h264",
		"rtsp://admin:p%zz@10.0.0.2/h264":       "rtsp://xxxxx@10.0.0.2/h264",
		"rtsp://admin:a@b@10.0.0.2/x?y=1":       "rtsp://admin:xxxxx@10.0.0.2/x?y=1",
	}
	for in, want := range cases {
		if got := URL(in); got != want {
			t.Errorf("URL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestError(t *testing.T) {
	base := errors.New("dial rtsp://u:hunter2@cam failed")
	err := Error(base, "hunter2")
	if strings.Contains(err.Error(), "hunter2") {
		t.Fatal(err)
	}
	if !errors.Is(err, base) {
		t.Fatal("lost the original error")
	}
}
