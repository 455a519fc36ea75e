package segment

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"

	"github.com/camshare/camshare/internal/layout"
)

var testStart = time.Date(2024, 3, 23, 10, 20, 0, 0, time.FixedZone("", -5*3600))

func utcScheme(t testing.TB) *layout.Scheme {
	s, err := layout.New("%Y%m%dT%H%M%S%z.mp4", "", true)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestH264AAC(t *testing.T) {
	dir := t.TempDir()
	m := clip(t, "libx264", 4, true)
	w := record(t, dir, utcScheme(t), testStart, m, 123456789)
	if _, err := os.Stat(filepath.Join(dir, "20240323T152000+0000.tmp")); err != nil {
		t.Fatalf("open segment is not under its temp name: %v", err)
	}
	info, err := w.Close(endOf(m, 123456789))
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != "20240323T152000+0000.mp4" || info.Path != filepath.Join(dir, info.Name) {
		t.Fatalf("info %+v", info)
	}
	if _, err := os.Stat(filepath.Join(dir, "20240323T152000+0000.tmp")); !os.IsNotExist(err) {
		t.Fatalf("temp file left behind: %v", err)
	}
	if info.Duration != 4*time.Second {
		t.Fatalf("Info.Duration %v, want 4s", info.Duration)
	}
	st, _ := os.Stat(info.Path)
	if st.Size() != info.Size {
		t.Fatalf("Info.Size %d, file %d", info.Size, st.Size())
	}
	p := ffprobe(t, info.Path)
	if len(p.Streams) != 2 || p.Streams[0].CodecName != "h264" || p.Streams[1].CodecName != "aac" {
		t.Fatalf("streams %+v", p.Streams)
	}
	if d := p.duration(t); math.Abs(d-4) > 0.1 {
		t.Fatalf("ffprobe duration %v, want 4 ± one frame", d)
	}
	checkHeaders(t, info.Path, []float64{4, seconds(m, 2)}, 0.001)
	decodes(t, info.Path)
	if n := frames(t, info.Path); n != 40 {
		t.Fatalf("%d frames, want 40", n)
	}
}

func TestH265TaggedHvc1(t *testing.T) {
	dir := t.TempDir()
	m := clip(t, "libx265", 3, false)
	w := record(t, dir, utcScheme(t), testStart, m, 0)
	info, err := w.Close(endOf(m, 0))
	if err != nil {
		t.Fatal(err)
	}
	p := ffprobe(t, info.Path)
	if len(p.Streams) != 1 || p.Streams[0].CodecName != "hevc" || p.Streams[0].CodecTagString != "hvc1" {
		t.Fatalf("streams %+v", p.Streams)
	}
	if d := p.duration(t); math.Abs(d-3) > 0.1 {
		t.Fatalf("ffprobe duration %v, want 3 ± one frame", d)
	}
	checkHeaders(t, info.Path, []float64{3}, 0.001)
	decodes(t, info.Path)
	if n := frames(t, info.Path); n != 30 {
		t.Fatalf("%d frames, want 30", n)
	}
}

// seconds is how long a track of the clip lasts.
func seconds(m *media, id int) float64 {
	for _, tr := range m.tracks {
		if tr.ID == id {
			return float64(len(m.samples[id])) * float64(m.samples[id][1].dts-m.samples[id][0].dts) / float64(tr.TimeScale)
		}
	}
	return 0
}

// The first track's first sample is time zero: audio from before it is
// dropped, later audio keeps its place relative to the video.
func TestOrigin(t *testing.T) {
	dir := t.TempDir()
	m := clip(t, "libx264", 2, true)
	w, err := Create(dir, utcScheme(t), testStart, m.tracks)
	if err != nil {
		t.Fatal(err)
	}
	audio := m.samples[2]
	s := audio[0].s
	if err := w.Write(2, audio[0].dts, &s); err != nil { // before any video: dropped
		t.Fatal(err)
	}
	// Video starts 0.5 s into the clip; audio runs from the clip's start.
	for _, x := range interleave(m) {
		if x.track == 0 && x.dts < 45000 {
			continue
		}
		s := x.s
		if err := w.Write(m.tracks[x.track].ID, x.dts, &s); err != nil {
			t.Fatal(err)
		}
	}
	info, err := w.Close(endOf(m, 0))
	if err != nil {
		t.Fatal(err)
	}
	if info.Duration != 1500*time.Millisecond {
		t.Fatalf("duration %v, want 1.5s", info.Duration)
	}
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "stream=start_time", "-of", "csv=p=0", info.Path).Output()
	if err != nil {
		t.Fatal(err)
	}
	starts := strings.Fields(string(out))
	if len(starts) != 2 || starts[0] != "0.000000" {
		t.Fatalf("start times %q", starts)
	}
	// The first kept AAC frame starts within one frame (1024/48000 s) of the video.
	if a, _ := strconv.ParseFloat(starts[1], 64); a < 0 || a > 1024.0/48000 {
		t.Fatalf("audio starts at %v", a)
	}
	decodes(t, info.Path)
}

// TestWriteNALUsMatchesWrite: a clip written as NAL units (the recorder's
// way, length prefixes added as fragments are built) is byte for byte the
// file written from AVCC payloads, and decodes.
func TestWriteNALUsMatchesWrite(t *testing.T) {
	m := clip(t, "libx264", 3, true)
	dirA, dirB := t.TempDir(), t.TempDir()
	a := record(t, dirA, utcScheme(t), testStart, m, 0)
	b, err := Create(dirB, utcScheme(t), testStart, m.tracks)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range interleave(m) {
		tr := m.tracks[x.track]
		if tr.ID != 1 {
			s := x.s
			err = b.Write(tr.ID, x.dts, &s)
		} else {
			var nalus h264.AVCC
			if err := nalus.Unmarshal(x.s.Payload); err != nil {
				t.Fatal(err)
			}
			err = b.WriteNALUs(tr.ID, x.dts, nalus, x.s.PTSOffset, !x.s.IsNonSyncSample)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	ia, err := a.Close(endOf(m, 0))
	if err != nil {
		t.Fatal(err)
	}
	ib, err := b.Close(endOf(m, 0))
	if err != nil {
		t.Fatal(err)
	}
	fa, _ := os.ReadFile(ia.Path)
	fb, _ := os.ReadFile(ib.Path)
	if len(fa) == 0 || string(fa) != string(fb) {
		t.Fatalf("WriteNALUs wrote %d bytes unlike Write's %d", len(fb), len(fa))
	}
	decodes(t, ib.Path)
}
