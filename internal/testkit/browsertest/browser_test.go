package browsertest

import (
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// The harness itself must be able to tell playing from not playing, in
// every engine: a clip made by ffmpeg (H.264 + AAC, what camshare writes)
// must play with sound, and a broken file must not.
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
	url := Serve(t, dir, `<!doctype html><video id=v src="clip.mp4" autoplay playsinline></video>
<video id=b src="broken.mp4" autoplay></video>`)
	for _, e := range Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			defer cancel()
			start := time.Now()
			p := Open(ctx, t, e, url, Options{})
			t.Logf("open (with browser start if first): %v", time.Since(start))
			v := `document.getElementById("v")`
			if err := p.WaitFor(ctx, v+`.currentTime > 1`, v+`.readyState`, v+`.error && `+v+`.error.message`); err != nil {
				t.Fatal(err)
			}
			if err := p.WaitFor(ctx, e.AudioDecodedJS(v)); err != nil {
				t.Fatalf("no audio decoded: %v", err)
			}
			var broken struct {
				Err  int     `json:"err"`
				Time float64 `json:"time"`
			}
			if err := p.Eval(ctx, `(() => { const v = document.getElementById("b"); return {err: v.error ? v.error.code : 0, time: v.currentTime}; })()`, &broken); err != nil {
				t.Fatal(err)
			}
			if broken.Err == 0 || broken.Time > 0 {
				t.Fatalf("broken file looked playable: %+v", broken)
			}
			checkScreenshot(t, ctx, p, Phone)
			if err := p.SetViewport(ctx, Desktop); err != nil {
				t.Fatal(err)
			}
			checkScreenshot(t, ctx, p, Desktop)
		})
	}
}

// checkScreenshot: the picture is a PNG of the viewport's size.
func checkScreenshot(t *testing.T, ctx context.Context, p *Page, v Viewport) {
	t.Helper()
	var inner Viewport
	if err := p.Eval(ctx, `({Width: window.innerWidth, Height: window.innerHeight})`, &inner); err != nil || inner != v {
		t.Errorf("viewport %+v, want %+v (%v)", inner, v, err)
	}
	path := filepath.Join(t.ArtifactDir(), "shot.png")
	if err := p.Screenshot(ctx, path); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil || cfg.Width != v.Width || cfg.Height != v.Height {
		t.Errorf("screenshot %dx%d, want %dx%d (%v)", cfg.Width, cfg.Height, v.Width, v.Height, err)
	}
}
