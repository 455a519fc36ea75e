package browsertest

import (
	"context"
	"encoding/json"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The harness itself must be able to tell playing from not playing, in
// every engine: a clip made by ffmpeg (H.264 + AAC, what camshare writes)
// must play with sound, from a file and through MediaSource, a clip
// without sound must not count as sound, and a broken file must not play.
func TestPlaysVideoWithSound(t *testing.T) {
	dir := t.TempDir()
	// No B-frames, as from a camera (see the package doc on WebKit's
	// MediaSource); fragmented, as camshare writes.
	sine := []string{"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-c:a", "aac"}
	ffmpegClip(t, filepath.Join(dir, "clip.mp4"), sine...)
	ffmpegClip(t, filepath.Join(dir, "mute.mp4"))
	if err := os.WriteFile(filepath.Join(dir, "broken.mp4"), []byte("not a video"), 0o644); err != nil {
		t.Fatal(err)
	}
	url := Serve(t, dir, `<!doctype html><video id=v src="clip.mp4" autoplay playsinline></video>
<video id=n src="mute.mp4" autoplay playsinline></video>
<video id=b src="broken.mp4" autoplay></video>
<video id=m autoplay playsinline></video>
<script>
const ms = new MediaSource();
document.getElementById("m").src = URL.createObjectURL(ms);
ms.addEventListener("sourceopen", async () => {
	const sb = ms.addSourceBuffer('video/mp4; codecs="avc1.42C00C, mp4a.40.2"');
	sb.addEventListener("updateend", () => ms.endOfStream());
	sb.appendBuffer(await (await fetch("clip.mp4")).arrayBuffer());
});
</script>`)
	for _, e := range Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			start := time.Now()
			p := Open(ctx, t, e, url, Options{})
			t.Logf("open (with browser start if first): %v", time.Since(start))
			el := func(id string) string { return `document.getElementById("` + id + `")` }
			// One condition for the three clips, every part evaluated on
			// every poll (an array, not &&): the sound checks must run from
			// the start of playback (see AudioDecodedJS).
			parts := map[string]string{
				"file sound": e.AudioDecodedJS(el("v")), "MediaSource sound": e.AudioDecodedJS(el("m")),
				"mute clip watched": "(" + e.AudioDecodedJS(el("n")) + ", true)",
				"file time":         el("v") + ".currentTime > 1", "MediaSource time": el("m") + ".currentTime > 1",
				"mute time": el("n") + ".currentTime > 1",
			}
			var all, diag []string
			for name, js := range parts {
				all = append(all, js)
				diag = append(diag, jsString(name)+": "+js)
			}
			state := `(() => { const s = {}; for (const id of ["v", "m", "n"]) { const m = document.getElementById(id);
				s[id] = {t: m.currentTime, state: m.readyState, err: m.error && m.error.message}; } return s; })()`
			if err := p.WaitFor(ctx, "["+strings.Join(all, ",\n")+"].every(Boolean)", "({"+strings.Join(diag, ",\n")+"})", state); err != nil {
				t.Fatal(err)
			}
			var mute bool
			if err := p.Eval(ctx, e.AudioDecodedJS(el("n")), &mute); err != nil || mute {
				t.Fatalf("a clip without sound counts as sound (%v)", err)
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

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// ffmpegClip writes a 20 s test picture (H.264 Constrained Baseline, fragmented
// MP4) with the audio input and codec args.
func ffmpegClip(t *testing.T, path string, audio ...string) {
	t.Helper()
	args := []string{"-v", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10"}
	args = append(args, audio...)
	args = append(args, "-t", "20", "-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p",
		"-movflags", "+frag_keyframe+empty_moov+default_base_moof", path)
	if out, err := exec.Command("ffmpeg", args...).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v %s", err, out)
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
