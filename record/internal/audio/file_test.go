package audio

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTranscodeFile transcodes a whole raw G.711 file the way the recorder
// does (20 ms RTP packets) and writes ADTS. bench/audio.sh runs it on a 60 s
// file, with CAMSHARE_AUDIO_IN (.alaw or .mulaw) and CAMSHARE_AUDIO_OUT set,
// to compare its CPU time with ffmpeg's. Without them it runs on generated
// camera-like audio (speech over noise) and checks the output decodes to
// audio of the right length.
func TestTranscodeFile(t *testing.T) {
	in, out := os.Getenv("CAMSHARE_AUDIO_IN"), os.Getenv("CAMSHARE_AUDIO_OUT")
	if in == "" {
		in = filepath.Join(t.TempDir(), "camera.mulaw")
		if err := os.WriteFile(in, cameraG711(t, 5, true), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewG711Transcoder(strings.HasSuffix(in, ".mulaw"))
	if err != nil {
		t.Fatal(err)
	}
	aus := transcodePackets(t, tr, g, 0)
	adts := writeADTS(t, tr, aus)
	if out != "" {
		data, err := os.ReadFile(adts)
		if err == nil {
			err = os.WriteFile(out, data, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
		return // the benchmark times the transcoder alone; it checks the file itself
	}
	pcm := decodeToFloat(t, adts)
	wantLen := 1024 + len(g)*tr.SampleRate()/8000
	if len(pcm) < wantLen || len(pcm) > wantLen+1024 {
		t.Fatalf("decoded %d samples, want %d..%d", len(pcm), wantLen, wantLen+1024)
	}
	if r := rms(pcm); r < 0.03 || math.IsNaN(r) {
		t.Fatalf("decoded audio nearly silent: rms %.4f", r)
	}
}

// cameraG711 makes camera-like G.711: synthetic speech (ffmpeg's flite) over
// pink background noise. bench/audio.sh builds its input the same way.
func cameraG711(t testing.TB, seconds int, mulaw bool) []byte {
	t.Helper()
	dir := t.TempDir()
	text := filepath.Join(dir, "text.txt")
	sentence := "Someone is at the front door. The parcel was left on the porch at ten past three. " +
		"The dog barked twice and then the car drove away. "
	if err := os.WriteFile(text, []byte(strings.Repeat(sentence, 1+seconds/8)), 0o644); err != nil {
		t.Fatal(err)
	}
	format := "alaw"
	if mulaw {
		format = "mulaw"
	}
	path := filepath.Join(dir, "camera."+format)
	run(t, "ffmpeg", "-nostdin", "-v", "error",
		"-f", "lavfi", "-i", "flite=textfile="+text+":voice=slt",
		"-f", "lavfi", "-i", "anoisesrc=color=pink:amplitude=0.03:sample_rate=8000",
		"-filter_complex", "[0:a]aresample=8000,apad[s];[s][1:a]amix=inputs=2:duration=first:normalize=0",
		"-t", itoa(seconds), "-f", format, "-ar", "8000", "-ac", "1", path)
	g, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return g
}
