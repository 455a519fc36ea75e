package share

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/layout"
)

var (
	clipOnce sync.Once
	clipData []byte
	clipErr  error
)

// clip is a 2-second H.264 + AAC fragmented MP4, like camshare's segments
// (made once per test binary: ffmpeg is the slow part).
func clip(t *testing.T) []byte {
	t.Helper()
	clipOnce.Do(func() {
		dir, err := os.MkdirTemp("", "share-clip-")
		if err != nil {
			clipErr = err
			return
		}
		defer os.RemoveAll(dir)
		out := filepath.Join(dir, "clip.mp4")
		msg, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15",
			"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "2",
			"-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "15", "-c:a", "aac",
			"-movflags", "+frag_keyframe+empty_moov+default_base_moof", out).CombinedOutput()
		if err != nil {
			clipErr = fmt.Errorf("%v: %s", err, msg)
			return
		}
		clipData, clipErr = os.ReadFile(out)
	})
	if clipErr != nil {
		t.Fatalf("ffmpeg clip: %v", clipErr)
	}
	return clipData
}

func utcScheme(t testing.TB) *layout.Scheme {
	t.Helper()
	s, err := layout.New(layout.DefaultName, layout.DefaultDir, true)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// upload places a segment starting at `at` where ship would: through layout.
func upload(t testing.TB, ctx context.Context, f fs.Fs, s *layout.Scheme, at time.Time, data []byte) string {
	t.Helper()
	p, err := s.RemotePath(s.Name(at))
	if err != nil {
		t.Fatal(err)
	}
	if err := put(ctx, f, p, data, "video/mp4"); err != nil {
		t.Fatal(err)
	}
	return p
}
