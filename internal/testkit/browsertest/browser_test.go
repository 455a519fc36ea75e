package browsertest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// The harness itself must be able to tell playing from not playing: a clip
// made by ffmpeg (H.264 + AAC, what camshare writes) must play with sound,
// and a broken file must not.
func TestPlaysVideoWithSound(t *testing.T) {
	dir := t.TempDir()
	clip := filepath.Join(dir, "clip.mp4")
	out, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10",
		"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "4",
		"-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-movflags", "+faststart", clip).CombinedOutput()
	if err != nil {
		t.Fatalf("ffmpeg: %v %s", err, out)
	}
	if err := os.WriteFile(filepath.Join(dir, "broken.mp4"), []byte("not a video"), 0o644); err != nil {
		t.Fatal(err)
	}
	page := `<!doctype html><video id=v src="clip.mp4" autoplay playsinline></video>
<video id=b src="broken.mp4" autoplay></video>`
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	b, err := Start(ctx, srv.URL+"/index.html")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.WaitFor(ctx, `document.getElementById("v").currentTime > 1`, `document.getElementById("v").readyState`); err != nil {
		t.Fatal(err)
	}
	var audio int
	if err := b.Eval(ctx, `document.getElementById("v").webkitAudioDecodedByteCount`, &audio); err != nil || audio <= 0 {
		t.Fatalf("audio decoded bytes = %d, %v", audio, err)
	}
	var broken struct {
		Err  int     `json:"err"`
		Time float64 `json:"time"`
	}
	if err := b.Eval(ctx, `(() => { const v = document.getElementById("b"); return {err: v.error ? v.error.code : 0, time: v.currentTime}; })()`, &broken); err != nil {
		t.Fatal(err)
	}
	if broken.Err == 0 || broken.Time > 0 {
		t.Fatalf("broken file looked playable: %+v", broken)
	}
	if err := b.Screenshot(ctx, filepath.Join(dir, "shot.png")); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(filepath.Join(dir, "shot.png")); err != nil || st.Size() < 100 {
		t.Fatalf("screenshot: %v", err)
	}
}
