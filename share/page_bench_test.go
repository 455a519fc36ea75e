package share

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/testkit/browsertest"
)

// BenchmarkFirstPicture: time to the first picture of a 5-minute
// 512 kbit/s segment in Chromium on a link throttled to 10 Mbit/s (CDP
// network emulation), the encrypted page (fetch, decrypt with WebCrypto,
// MediaSource) against the plain page (the player streams the MP4 itself),
// alternated in one run. Target: encrypted/plain <= 1.3.
//
//	go test ./share -run '^$' -bench FirstPicture -benchtime 5x
func BenchmarkFirstPicture(b *testing.B) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	seg := fiveMinutes(b)
	s := newPublicS3(b, ctx)
	a := archiveKey(b)
	now := time.Now().UTC().Truncate(time.Second)
	at := now.Add(-6 * time.Minute)
	plainPath := upload(b, ctx, s.f, s.s, at, seg)
	// The same footage sealed, in a second camera folder of the bucket.
	sealedF, err := openSub(ctx, s, "sealed")
	if err != nil {
		b.Fatal(err)
	}
	upload(b, ctx, sealedF, s.s, at, sealed(b, seg, a))
	plain, err := Publish(ctx, Options{Dest: s.f, Scheme: s.s, Window: time.Hour, Title: "Garden"})
	if err != nil {
		b.Fatal(err)
	}
	enc, err := Publish(ctx, Options{Dest: sealedF, Scheme: s.s, Window: time.Hour, Title: "Garden", Seal: a})
	if err != nil {
		b.Fatal(err)
	}
	var tp, te []float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tp = append(tp, firstPicture(b, ctx, plain.URL))
		te = append(te, firstPicture(b, ctx, enc.URL))
	}
	b.StopTimer()
	mp, me := median(tp), median(te)
	b.ReportMetric(mp, "plain-ms")
	b.ReportMetric(me, "encrypted-ms")
	b.ReportMetric(me/mp, "ratio")
	b.Logf("first picture of a 5-min 512 kbit/s segment (%d bytes, %s) at 10 Mbit/s: plain %.0f ms, encrypted %.0f ms, ratio %.2f (target <= 1.3); runs plain %v encrypted %v",
		len(seg), plainPath, mp, me, me/mp, tp, te)
}

// firstPicture opens url in a fresh Chromium page, throttled, and returns
// the milliseconds from navigation to the video's first "playing" (the
// page notes it: camshare.state().firstPicture).
func firstPicture(b *testing.B, ctx context.Context, url string) float64 {
	b.Helper()
	p, err := browsertest.New(ctx, browsertest.Chromium, "about:blank", browsertest.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	for _, c := range []struct {
		method string
		params map[string]any
	}{
		{"Network.enable", map[string]any{}},
		{"Network.setCacheDisabled", map[string]any{"cacheDisabled": true}},
		{"Network.emulateNetworkConditions", map[string]any{"offline": false, "latency": 20,
			"downloadThroughput": 10e6 / 8, "uploadThroughput": 10e6 / 8}},
	} {
		if _, err := p.CDP(ctx, c.method, c.params); err != nil {
			b.Fatal(err)
		}
	}
	if err := p.Navigate(ctx, url); err != nil {
		b.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := p.WaitFor(wctx, `camshare.state().firstPicture > 0`, stateJS); err != nil {
		b.Fatal(err)
	}
	var ms float64
	if err := p.Eval(ctx, `camshare.state().firstPicture`, &ms); err != nil {
		b.Fatal(err)
	}
	return ms
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[len(s)/2]
}

// fiveMinutes is a 5-minute fragmented MP4 at 512 kbit/s (H.264 448k + AAC
// 64k), cut like camshare's segments.
func fiveMinutes(b *testing.B) []byte {
	b.Helper()
	out := filepath.Join(b.TempDir(), "five.mp4")
	msg, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=15",
		"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "300",
		"-c:v", "libx264", "-preset", "veryfast", "-b:v", "448k", "-maxrate", "448k", "-bufsize", "896k", "-pix_fmt", "yuv420p", "-g", "30",
		"-c:a", "aac", "-b:a", "64k",
		"-movflags", "+frag_keyframe+empty_moov+default_base_moof", out).CombinedOutput()
	if err != nil {
		b.Fatalf("ffmpeg: %v: %s", err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		b.Fatal(err)
	}
	if kbps := float64(len(data)) * 8 / 300 / 1000; kbps < 400 || kbps > 650 {
		b.Fatalf("segment is %.0f kbit/s, want about 512", kbps)
	}
	return data
}

// openSub is another folder of the archive's bucket.
func openSub(ctx context.Context, s *archiveS3, folder string) (fs.Fs, error) {
	return remote.Open(ctx, s.srv.Remote+"/"+folder)
}
