package segment

import (
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"
)

// bframeClip is H.264 with B-frames: decode order differs from display
// order, so samples carry composition offsets. The display order comes from
// ffprobe decoding the raw stream (coded_picture_number of each frame as it
// is shown).
func bframeClip(t *testing.T, secs int) (*media, int64) {
	t.Helper()
	raw := ffmpegOut(t, "b.h264", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10", "-t", strconv.Itoa(secs),
		"-c:v", "libx264", "-g", "10", "-bf", "2", "-pix_fmt", "yuv420p", "-f", "h264")
	path := filepath.Join(t.TempDir(), "b.h264")
	if err := writeFile(path, raw); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "frame=coded_picture_number", "-of", "csv=p=0", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	aus := accessUnits(t, raw, false)
	rank := make([]int64, len(aus))
	lines := strings.Fields(strings.ReplaceAll(string(out), ",", " "))
	shown := 0
	for _, l := range lines {
		n, err := strconv.Atoi(l)
		if err != nil || n >= len(aus) {
			continue
		}
		rank[n] = int64(shown)
		shown++
	}
	if shown != len(aus) {
		t.Fatalf("ffprobe showed %d frames of %d", shown, len(aus))
	}
	// Decode times trail presentation by the deepest reordering.
	var delay, reordered int64
	for i := range aus {
		delay = max(delay, int64(i)-rank[i])
		if rank[i] != int64(i) {
			reordered++
		}
	}
	if reordered == 0 {
		t.Fatal("the encoder wrote no B-frames")
	}
	m := &media{samples: map[int][]timed{}}
	m.tracks = []*Track{{ID: 1, TimeScale: 90000, Codec: h264Params(t, aus)}}
	for i, au := range aus {
		var s fmp4.Sample
		if err := s.FillH264(int32((rank[i]-int64(i)+delay)*9000), au); err != nil {
			t.Fatal(err)
		}
		m.samples[1] = append(m.samples[1], timed{dts: (int64(i) - delay) * 9000, s: s})
	}
	return m, delay
}

func TestBFrames(t *testing.T) {
	dir := t.TempDir()
	m, delay := bframeClip(t, 3)
	w := record(t, dir, utcScheme(t), testStart, m, 0)
	info, err := w.Close(endOf(m, 0))
	if err != nil {
		t.Fatal(err)
	}
	decodes(t, info.Path)
	checkHeaders(t, info.Path, []float64{3}, 0.001)
	// Frames come out in display order at their presentation times.
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "frame=pts",
		"-of", "csv=p=0", info.Path).Output()
	if err != nil {
		t.Fatal(err)
	}
	pts := strings.Fields(string(out))
	if len(pts) != 30 {
		t.Fatalf("%d frames, want 30", len(pts))
	}
	for i, p := range pts {
		if want := strconv.FormatInt((int64(i)+delay)*9000, 10); strings.TrimSuffix(p, ",") != want {
			t.Fatalf("frame %d shown at pts %s, want %s (all: %v)", i, p, want, pts)
		}
	}
}
