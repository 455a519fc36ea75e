package segment

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"
	"github.com/camshare/camshare/internal/layout"
)

// This file turns real encoder output into samples for the writer, and
// reads the writer's files back with ffprobe/ffmpeg.

// media is a short clip as a camera would deliver it: access units with
// their dts, per track.
type media struct {
	tracks  []*Track
	samples map[int][]timed
}

type timed struct {
	dts int64
	s   fmp4.Sample
}

// ffmpegOut runs ffmpeg with args and returns the bytes of the file it wrote.
func ffmpegOut(t testing.TB, name string, args ...string) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), name)
	cmd := exec.Command("ffmpeg", append(append([]string{"-nostdin", "-v", "error", "-y"}, args...), out)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg %v: %v\n%s", args, err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// clip encodes secs seconds of 10 fps test video (libx264 or libx265, no
// B-frames, a keyframe every second) and, with audio, 48 kHz AAC-LC.
func clip(t testing.TB, encoder string, secs int, audio bool) *media {
	t.Helper()
	format, ext := "h264", "h264"
	if encoder == "libx265" {
		format, ext = "hevc", "h265"
	}
	args := []string{"-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10", "-t", strconv.Itoa(secs),
		"-c:v", encoder, "-g", "10", "-bf", "0", "-pix_fmt", "yuv420p"}
	if encoder == "libx265" {
		args = append(args, "-x265-params", "log-level=error")
	}
	args = append(args, "-f", format)
	video := ffmpegOut(t, "v."+ext, args...)
	m := &media{samples: map[int][]timed{}}
	aus := accessUnits(t, video, encoder == "libx265")
	var vt Track
	vt.ID, vt.TimeScale = 1, 90000
	if encoder == "libx265" {
		vt.Codec = h265Params(t, aus)
	} else {
		vt.Codec = h264Params(t, aus)
	}
	m.tracks = append(m.tracks, &vt)
	for i, au := range aus {
		var s fmp4.Sample
		var err error
		if encoder == "libx265" {
			err = s.FillH265(0, au)
		} else {
			err = s.FillH264(0, au)
		}
		if err != nil {
			t.Fatal(err)
		}
		m.samples[1] = append(m.samples[1], timed{dts: int64(i) * 9000, s: s})
	}
	if audio {
		adts := ffmpegOut(t, "a.aac", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
			"-t", strconv.Itoa(secs), "-c:a", "aac", "-f", "adts")
		var pkts mpeg4audio.ADTSPackets
		if err := pkts.Unmarshal(adts); err != nil {
			t.Fatal(err)
		}
		p0 := pkts[0]
		m.tracks = append(m.tracks, &Track{ID: 2, TimeScale: uint32(p0.SampleRate), Codec: &fmp4.CodecMPEG4Audio{
			Config: mpeg4audio.AudioSpecificConfig{Type: p0.Type, SampleRate: p0.SampleRate, ChannelCount: p0.ChannelCount}}})
		for i, p := range pkts {
			m.samples[2] = append(m.samples[2], timed{dts: int64(i) * 1024, s: fmp4.Sample{Payload: p.AU}})
		}
	}
	return m
}

// accessUnits splits an Annex-B stream into access units: a new one starts
// at a parameter set, AUD or prefix SEI after a picture, or at a second
// picture (the encoders here write one slice per picture).
func accessUnits(t testing.TB, stream []byte, hevc bool) [][][]byte {
	t.Helper()
	var nalus h264.AnnexB
	if err := nalus.Unmarshal(stream); err != nil {
		t.Fatal(err)
	}
	var aus [][][]byte
	var cur [][]byte
	hasPic := false
	for _, n := range nalus {
		var vcl, starts bool
		if hevc {
			typ := (n[0] >> 1) & 0x3f
			vcl = typ < 32
			starts = typ >= 32 && typ <= 39 && typ != 38 // VPS SPS PPS AUD EOS EOB prefix-SEI
		} else {
			typ := n[0] & 0x1f
			vcl = typ >= 1 && typ <= 5
			starts = typ == 6 || typ == 7 || typ == 8 || typ == 9
		}
		if hasPic && (starts || vcl) {
			aus = append(aus, cur)
			cur, hasPic = nil, false
		}
		cur = append(cur, n)
		hasPic = hasPic || vcl
	}
	if hasPic {
		aus = append(aus, cur)
	}
	return aus
}

func h264Params(t testing.TB, aus [][][]byte) *fmp4.CodecH264 {
	c := &fmp4.CodecH264{}
	for _, n := range aus[0] {
		switch n[0] & 0x1f {
		case 7:
			c.SPS = n
		case 8:
			c.PPS = n
		}
	}
	if c.SPS == nil || c.PPS == nil {
		t.Fatal("no SPS/PPS in the first access unit")
	}
	return c
}

func h265Params(t testing.TB, aus [][][]byte) *fmp4.CodecH265 {
	c := &fmp4.CodecH265{}
	for _, n := range aus[0] {
		switch (n[0] >> 1) & 0x3f {
		case 32:
			c.VPS = n
		case 33:
			c.SPS = n
		case 34:
			c.PPS = n
		}
	}
	if c.VPS == nil || c.SPS == nil || c.PPS == nil {
		t.Fatal("no VPS/SPS/PPS in the first access unit")
	}
	return c
}

// record writes the clip's samples, interleaved by time, into a new segment
// and returns the open writer (dts offset by base to look like a live stream).
func record(t testing.TB, dir string, scheme *layout.Scheme, start time.Time, m *media, base int64) *Writer {
	t.Helper()
	w, err := Create(dir, scheme, start, m.tracks)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range interleave(m) {
		tr := m.tracks[x.track]
		s := x.s
		if err := w.Write(tr.ID, x.dts+base*int64(tr.TimeScale)/90000, &s); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

type step struct {
	track int
	timed
}

// interleave orders all samples by time, as they arrive from a camera.
func interleave(m *media) []step {
	idx := make([]int, len(m.tracks))
	var out []step
	for {
		best := -1
		var bestSec float64
		for i, tr := range m.tracks {
			ss := m.samples[tr.ID]
			if idx[i] >= len(ss) {
				continue
			}
			sec := float64(ss[idx[i]].dts) / float64(tr.TimeScale)
			if best < 0 || sec < bestSec {
				best, bestSec = i, sec
			}
		}
		if best < 0 {
			return out
		}
		out = append(out, step{best, m.samples[m.tracks[best].ID][idx[best]]})
		idx[best]++
	}
}

// endOf is the dts just after each track's last sample (what the next
// segment would start with).
func endOf(m *media, base int64) map[int]int64 {
	end := map[int]int64{}
	for _, tr := range m.tracks {
		ss := m.samples[tr.ID]
		step := ss[1].dts - ss[0].dts
		end[tr.ID] = ss[len(ss)-1].dts + step + base*int64(tr.TimeScale)/90000
	}
	return end
}

// probe is what ffprobe says about a file.
type probe struct {
	Format struct {
		Duration string `json:"duration"`
	} `json:"format"`
	Streams []struct {
		CodecName      string `json:"codec_name"`
		CodecTagString string `json:"codec_tag_string"`
		CodecType      string `json:"codec_type"`
		Duration       string `json:"duration"`
	} `json:"streams"`
}

func ffprobe(t testing.TB, path string) probe {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	var p probe
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p probe) duration(t testing.TB) float64 {
	d, err := strconv.ParseFloat(p.Format.Duration, 64)
	if err != nil {
		t.Fatalf("ffprobe duration %q: %v", p.Format.Duration, err)
	}
	return d
}

// decodes fails the test unless ffmpeg decodes every frame without a word.
func decodes(t testing.TB, path string) {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-i", path, "-f", "null", "-").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "" {
		t.Fatalf("ffmpeg decode %s: %v\n%s", path, err, out)
	}
}

// frames counts the video frames ffprobe decodes.
func frames(t testing.TB, path string) int {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames",
		"-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("ffprobe frame count %q", out)
	}
	return n
}

func writeFile(path string, b []byte) error { return os.WriteFile(path, b, 0o644) }
