package config

import (
	"errors"
	"strings"
	"testing"
)

// TestNamesDifferingOnlyInCase: issue 11 #12, DOOR and door were both
// accepted; on FAT/exFAT (Android SD cards), Drive and OneDrive they are one
// folder.
func TestNamesDifferingOnlyInCase(t *testing.T) {
	_, err := Parse([]byte("remote: r:cams\ncameras:\n  - name: DOOR\n    url: rtsp://h/s\n  - name: door\n    url: rtsp://h/s\n"), "c.yaml")
	if err == nil || !strings.Contains(err.Error(), `"door": already used on line 3`) {
		t.Fatalf("DOOR and door: %v", err)
	}
}

// FuzzParse: any bytes give a config or line-numbered mistakes, never a
// panic, and a config that parses has what run relies on.
func FuzzParse(f *testing.F) {
	f.Add([]byte(Example))
	f.Add([]byte("remote: r:cams\ncameras:\n  - name: door\n    url: rtsp://u:p@h/s\n    segment: 2s\nmin_free: 1GB\n"))
	f.Add([]byte("remote: a:b\ncameras:\n  - name: x\n   url: [\n"))
	f.Add([]byte("cameras: {a: b}\nlayout:\n  name: \"%Y.mp4\"\nretention:\n  keep: 1d\n"))
	f.Add([]byte("&a [*a, *a]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := parse(data, "fuzz.yaml", true) // no password files read
		if err != nil {
			var errs Errors
			if errors.As(err, &errs) && len(errs) == 0 {
				t.Fatalf("empty Errors")
			}
			if strings.ContainsAny(strings.TrimSpace(err.Error()), "\x00") {
				t.Fatalf("error with NUL: %q", err)
			}
			return
		}
		if _, err := c.Scheme(); err != nil {
			t.Fatalf("parsed, but its layout does not build: %v", err)
		}
		seen := map[string]bool{}
		for _, cam := range c.Cameras {
			k := strings.ToLower(cam.Name)
			if cam.Name == "" || seen[k] {
				t.Fatalf("camera name %q empty or repeated", cam.Name)
			}
			seen[k] = true
		}
	})
}
