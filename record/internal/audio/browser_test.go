package audio

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/testkit/browsertest"
)

// TestChromiumPlaysTranscodedAudio: 8 kHz AAC-LC is unusual next to the
// 44.1/48 kHz of music, so check that a real browser plays it: headless
// Chromium plays the transcoder's fMP4 (muxed by mediacommon, as the recorder
// does) with time advancing and audio actually decoded.
func TestChromiumPlaysTranscodedAudio(t *testing.T) {
	tr, err := NewG711Transcoder(false)
	if err != nil {
		t.Fatal(err)
	}
	aus := transcodePackets(t, tr, ffmpegG711(t, "0.5*sin(2*PI*440*t)", 4, false), 0)
	dir := filepath.Dir(writeMP4(t, tr, aus))
	page := `<!doctype html><audio id=a src="out.mp4" autoplay></audio>`
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	b := browsertest.OpenPage(ctx, t, dir, page)
	a := `document.getElementById("a")`
	if err := b.WaitFor(ctx, a+`.currentTime > 1`, a+`.readyState`, a+`.error && `+a+`.error.message`); err != nil {
		t.Fatal(err)
	}
	var decoded int
	if err := b.Eval(ctx, a+`.webkitAudioDecodedByteCount`, &decoded); err != nil || decoded <= 0 {
		t.Fatalf("audio decoded bytes = %d, %v", decoded, err)
	}
	var dur float64
	if err := b.Eval(ctx, a+`.duration`, &dur); err != nil || dur < 3.9 || dur > 4.5 {
		t.Fatalf("duration %v, %v; want about 4 s", dur, err)
	}
}
