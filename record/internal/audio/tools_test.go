package audio

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"
)

// Helpers shared by the tests: real ffmpeg/ffprobe make the input and judge
// the output, so a broken bitstream or misaligned audio fails for real.

// ffmpegG711 renders an ffmpeg aevalsrc expression (in t, seconds) as raw
// 8 kHz mono G.711.
func ffmpegG711(t testing.TB, expr string, seconds float64, mulaw bool) []byte {
	t.Helper()
	format := "alaw"
	if mulaw {
		format = "mulaw"
	}
	out := filepath.Join(t.TempDir(), "in."+format)
	src := "aevalsrc=" + expr + ":s=8000:d=" + strconv.FormatFloat(seconds, 'f', -1, 64)
	run(t, "ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", src,
		"-f", format, "-ar", "8000", "-ac", "1", out)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func run(t testing.TB, name string, args ...string) []byte {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v: %s", name, args, err, stderr.String())
	}
	return out
}

// transcodePackets feeds g711 in RTP-sized packets (20 ms) from pts0 and
// returns every unit, flush included.
func transcodePackets(t testing.TB, tr *Transcoder, g711 []byte, pts0 int64) []AU {
	t.Helper()
	var all []AU
	for off := 0; off < len(g711); off += 160 {
		end := min(off+160, len(g711))
		aus, err := tr.Write(g711[off:end], pts0+int64(off))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, aus...)
	}
	aus, err := tr.Flush()
	if err != nil {
		t.Fatal(err)
	}
	return append(all, aus...)
}

// writeMP4 muxes the units into an audio-only fragmented MP4 with
// mediacommon, exactly as the recorder does, and returns its path.
func writeMP4(t testing.TB, tr *Transcoder, aus []AU) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "out.mp4")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	init := fmp4.Init{Tracks: []*fmp4.InitTrack{{
		ID:        1,
		TimeScale: uint32(tr.SampleRate()),
		Codec:     &fmp4.CodecMPEG4Audio{Config: tr.Config()},
	}}}
	if err := init.Marshal(f); err != nil {
		t.Fatal(err)
	}
	samples := make([]*fmp4.Sample, len(aus))
	for i, au := range aus {
		samples[i] = &fmp4.Sample{Duration: 1024, Payload: au.Data}
	}
	part := fmp4.Part{SequenceNumber: 1, Tracks: []*fmp4.PartTrack{{
		ID: 1, BaseTime: 0, Samples: samples, // times relative to the first unit
	}}}
	if err := part.Marshal(f); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeADTS writes the units as a raw .aac (ADTS) stream.
func writeADTS(t testing.TB, tr *Transcoder, aus []AU) string {
	t.Helper()
	var buf []byte
	for _, au := range aus {
		var err error
		if buf, err = tr.AppendADTS(buf, au); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "out.aac")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

type probedStream struct {
	CodecName  string `json:"codec_name"`
	Profile    string `json:"profile"`
	SampleRate string `json:"sample_rate"`
	Channels   int    `json:"channels"`
	Duration   string `json:"duration"`
}

func ffprobeAudio(t testing.TB, path string) probedStream {
	t.Helper()
	out := run(t, "ffprobe", "-v", "error", "-select_streams", "a:0",
		"-show_entries", "stream=codec_name,profile,sample_rate,channels,duration",
		"-of", "json", path)
	var res struct{ Streams []probedStream }
	if err := json.Unmarshal(out, &res); err != nil || len(res.Streams) != 1 {
		t.Fatalf("ffprobe %s: %v: %s", path, err, out)
	}
	return res.Streams[0]
}

// decodeToFloat decodes the file's audio with ffmpeg (errors fatal) to mono
// samples in [-1, 1) at the file's own rate.
func decodeToFloat(t testing.TB, path string) []float64 {
	t.Helper()
	args := []string{"-nostdin", "-v", "error", "-xerror"}
	if strings.HasSuffix(path, ".aac") {
		// A few frames of silence are too little for ffmpeg's format
		// probe; the format is known, so name it.
		args = append(args, "-f", "aac")
	}
	args = append(args, "-i", path, "-f", "s16le", "-ac", "1", "-")
	raw := run(t, "ffmpeg", args...)
	s := make([]float64, len(raw)/2)
	for i := range s {
		s[i] = float64(int16(binary.LittleEndian.Uint16(raw[2*i:]))) / 32768
	}
	return s
}

func rms(s []float64) float64 {
	sum := 0.0
	for _, x := range s {
		sum += x * x
	}
	return math.Sqrt(sum / float64(max(len(s), 1)))
}

// zeroCrossingHz estimates the dominant frequency of a clean tone.
func zeroCrossingHz(s []float64, rate int) float64 {
	n := 0
	for i := 1; i < len(s); i++ {
		if (s[i-1] < 0) != (s[i] < 0) {
			n++
		}
	}
	return float64(n) / 2 / (float64(len(s)) / float64(rate))
}

// goertzelPower is the power of s at freq (Goertzel algorithm), normalised so
// a full-scale sine reads about 0.25 regardless of length.
func goertzelPower(s []float64, rate int, freq float64) float64 {
	w := 2 * math.Pi * freq / float64(rate)
	c := 2 * math.Cos(w)
	var s1, s2 float64
	for _, x := range s {
		s1, s2 = x+c*s1-s2, s1
	}
	p := s1*s1 + s2*s2 - c*s1*s2
	n := float64(len(s))
	return p / (n * n)
}

func dB(ratio float64) float64 { return 10 * math.Log10(ratio) }

func itoa(n int) string { return strconv.Itoa(n) }

// decodeG711 decodes raw G.711 with ffmpeg (an independent reference for
// what the camera's audio sounds like).
func decodeG711(t testing.TB, g []byte, mulaw bool) []float64 {
	t.Helper()
	format := "alaw"
	if mulaw {
		format = "mulaw"
	}
	path := filepath.Join(t.TempDir(), "ref."+format)
	if err := os.WriteFile(path, g, 0o644); err != nil {
		t.Fatal(err)
	}
	raw := run(t, "ffmpeg", "-nostdin", "-v", "error", "-f", format, "-ar", "8000", "-ac", "1",
		"-i", path, "-f", "s16le", "-")
	s := make([]float64, len(raw)/2)
	for i := range s {
		s[i] = float64(int16(binary.LittleEndian.Uint16(raw[2*i:]))) / 32768
	}
	return s
}

// snrDB compares dec[i+lag] with ref[i] over ref: signal over error power.
func snrDB(ref, dec []float64, lag int) float64 {
	var sig, noise float64
	for i, r := range ref {
		if i+lag < 0 || i+lag >= len(dec) {
			continue
		}
		d := dec[i+lag] - r
		sig += r * r
		noise += d * d
	}
	return dB(sig / noise)
}
