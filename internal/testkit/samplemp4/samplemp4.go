// Package samplemp4 makes real MP4 segments for tests that need footage
// without recording it: the test camera's committed fixtures (H.264 and
// AAC) put in a fragmented MP4 by ffmpeg, as the recorder writes them.
package samplemp4

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

func fixtures() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testcam", "fixtures")
}

// Write makes a fragmented MP4 of the fixtures (about 6 s of video with
// sound) at path and returns its bytes.
func Write(t testing.TB, path string) []byte {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
		"-f", "h264", "-r", "25", "-i", filepath.Join(fixtures(), "h264.h264"),
		"-i", filepath.Join(fixtures(), "room.aac"),
		"-map", "0:v", "-map", "1:a", "-c", "copy", "-bsf:a", "aac_adtstoasc", "-shortest",
		"-movflags", "frag_keyframe+empty_moov+default_base_moof", "-f", "mp4", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, out)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Decodes runs ffmpeg over the whole file and fails the test unless every
// frame decodes.
func Decodes(t testing.TB, path string) {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-hide_banner", "-v", "error", "-xerror", "-i", path, "-f", "null", "-").CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Fatalf("ffmpeg cannot decode %s: %v\n%s", path, err, out)
	}
}
