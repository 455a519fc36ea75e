package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func write(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "camshare.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Five different mistakes give five messages, each on its own line.
func TestFiveMistakesFiveMessages(t *testing.T) {
	p := write(t, `remote: s3:cams
segmnt: 5m
cameras:
  - name: door
    url: http://192.168.1.10/stream
  - name: yard
    url: rtsp://192.168.1.11/stream
    segment: 5x
    transport: tcpp
retention:
  keep: 30d
  max_size: lots
`)
	_, err := Load(p)
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("want Errors, got %v", err)
	}
	want := []struct {
		line int
		has  string
	}{
		{2, `unknown key "segmnt": did you mean "segment"?`},
		{5, `cameras[1].url: want rtsp://`},
		{8, `cameras[2].segment: invalid duration "5x"`},
		{9, `cameras[2].transport: "tcpp" is not one of tcp, udp, auto`},
		{12, `retention.max_size`},
	}
	for _, m := range errs {
		t.Log(m)
	}
	if len(errs) != len(want) {
		t.Fatalf("got %d mistakes, want %d", len(errs), len(want))
	}
	for i, w := range want {
		if errs[i].Line != w.line || !strings.Contains(errs[i].Msg, w.has) {
			t.Errorf("mistake %d = %v, want line %d containing %q", i, errs[i], w.line, w.has)
		}
	}
}

func TestMoreMistakes(t *testing.T) {
	p := write(t, `remote: nocolon
cameras:
  - name: door
    url: rtsp://h/s
    password_env: CAMSHARE_TEST_UNSET_VAR
    password_file: /nonexistent/pass
  - name: door
    url: rtsp://h/s
  - url: rtsp://h/s
  - name: "bad name"
    url: rtsp://h/s
    audio: maybe
live:
  enabled: perhaps
layout:
  name: "%Y.mp4"
retention:
  keep: 1d
  min_keep: 2d
remote: again
`)
	_, err := Load(p)
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("want Errors, got %v", err)
	}
	text := ""
	for _, m := range errs {
		if m.Line == 0 {
			t.Errorf("no line: %v", m)
		}
		text += m.String() + "\n"
	}
	t.Log(text)
	for _, w := range []string{
		"line 20: remote: set twice (first on line 1)",
		"line 7: cameras[2].name \"door\": already used on line 3",
		"line 9: cameras[3]: name missing",
		"cameras[4].name \"bad name\"",
		"line 12: cameras[4].audio",
		"line 14: live.enabled",
		"layout: name pattern",
		`line 19: retention.min_keep: "2d" is not a count`,
		"not both",
		"want REMOTE:FOLDER",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("missing %q", w)
		}
	}
}

func TestSyntaxErrorHasLine(t *testing.T) {
	_, err := Load(write(t, "remote: a:b\ncameras:\n  - name: x\n   url: [\n"))
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 1 || errs[0].Line == 0 {
		t.Fatalf("got %v", err)
	}
}

func TestExampleParsesWithDefaults(t *testing.T) {
	t.Setenv("CAMSHARE_DOOR_PASSWORD", "s3cret")
	home := t.TempDir()
	t.Setenv("HOME", home)
	c, err := Parse([]byte(Example), "/etc/camshare/config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Cameras) != 1 || c.Cameras[0].Password != "s3cret" || c.Cameras[0].Segment != 5*time.Minute ||
		c.Cameras[0].Transport != "tcp" || c.Cameras[0].Audio != "auto" {
		t.Errorf("camera = %+v", c.Cameras[0])
	}
	if c.Dir != filepath.Join(home, "camshare") || c.MaxLocal != 5e9 || c.MinFree != 1e9 {
		t.Errorf("dir %q max_local %d min_free %d", c.Dir, c.MaxLocal, c.MinFree)
	}
	if c.Retention.Keep != 30*24*time.Hour || c.Retention.Every != time.Hour || !c.Live.Enabled || c.Live.Title != "Our cameras" {
		t.Errorf("retention %+v live %+v", c.Retention, c.Live)
	}
	if got := c.CameraRemote("door"); got != "mycloud:cameras/door" {
		t.Errorf("CameraRemote = %q", got)
	}
	if _, err := c.Scheme(); err != nil {
		t.Error(err)
	}
}

func TestPasswordFileRelativeToConfig(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "door.pass"), []byte("pw\n"), 0o600)
	p := filepath.Join(dir, "c.yaml")
	os.WriteFile(p, []byte("remote: /tmp/x\ncameras:\n  - name: door\n    url: rtsp://u@h/s\n    password_file: door.pass\n    segment: 2s\n"), 0o600)
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if c.Cameras[0].Password != "pw" || c.Cameras[0].Segment != 2*time.Second {
		t.Errorf("%+v", c.Cameras[0])
	}
	// No layout section: FOLDER/CAMERA/YYYYMMDD/HH/, as the hand-made set-up.
	s, err := c.Scheme()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 3, 23, 10, 20, 0, 0, time.Local)
	if got := s.Dir(at); got != "20240323/10" {
		t.Errorf("default layout puts a segment in %q", got)
	}
}

func TestWriteExampleRefusesOverwrite(t *testing.T) {
	p := filepath.Join(t.TempDir(), "sub", "config.yaml")
	if err := WriteExample(p, false); err != nil {
		t.Fatal(err)
	}
	if err := WriteExample(p, false); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("second write: %v", err)
	}
	if err := WriteExample(p, true); err != nil {
		t.Fatal(err)
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/x/cfg")
	if p, _ := DefaultPath(); p != "/x/cfg/camshare/config.yaml" {
		t.Error(p)
	}
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("HOME", "/home/u")
	if p, _ := DefaultPath(); p != "/home/u/.config/camshare/config.yaml" {
		t.Error(p)
	}
}

func TestSafeRemote(t *testing.T) {
	for in, want := range map[string]string{
		"mys3:cameras": "mys3:cameras",
		":s3,provider=Rclone,endpoint='http://127.0.0.1:9000',secret_access_key=SECRET:bucket/cams": ":s3,…:bucket/cams",
		"mys3,secret_access_key=SECRET:bucket":                                                      "mys3,…:bucket",
		"/local/path":                                                                               "/local/path",
	} {
		if got := SafeRemote(in); got != want {
			t.Errorf("SafeRemote(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKeepShorterThanSegment(t *testing.T) {
	_, err := Parse([]byte("remote: a:b\nsegment: 10m\ncameras:\n  - name: x\n    url: rtsp://h/s\nretention:\n  keep: 5m\n"), "/c.yaml")
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 1 || errs[0].Line != 7 || !strings.Contains(errs[0].Msg, "shorter than camera x's segment") {
		t.Fatalf("%v", err)
	}
}

// Segment lengths follow the recorder's one rule: whole seconds, at most an
// hour (issue 11 #16: 100h and 1.5s were accepted).
func TestSegmentLengths(t *testing.T) {
	for _, bad := range []string{"100h", "1.5s", "500ms"} {
		_, err := Parse([]byte("remote: a:b\nsegment: "+bad+"\ncameras:\n  - name: x\n    url: rtsp://h/s\n"), "/c.yaml")
		var errs Errors
		if !errors.As(err, &errs) || len(errs) != 1 || errs[0].Line != 2 || !strings.Contains(errs[0].Msg, "segment") {
			t.Errorf("segment %s: %v", bad, err)
		}
	}
	if _, err := Parse([]byte("remote: a:b\nsegment: 1h\ncameras:\n  - name: x\n    url: rtsp://h/s\n"), "/c.yaml"); err != nil {
		t.Errorf("segment 1h: %v", err)
	}
}
