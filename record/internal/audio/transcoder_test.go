package audio

import (
	"bytes"
	"math"
	"strconv"
	"testing"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/g711"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
)

func TestG711TablesMatchMediacommon(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	check := func(name string, table *[256]float32, bigEndian []byte) {
		for i := range 256 {
			want := float32(int16(uint16(bigEndian[2*i])<<8|uint16(bigEndian[2*i+1]))) / 32768
			if table[i] != want {
				t.Fatalf("%s byte %#x: got %v, want %v", name, i, table[i], want)
			}
		}
	}
	var a g711.Alaw
	a.Unmarshal(all)
	check("A-law", alawTable, a)
	var u g711.Mulaw
	u.Unmarshal(all)
	check("µ-law", mulawTable, u)
}

// TestConfigMatchesStream: the track config is AAC-LC 8 kHz mono (the
// well-known ASC 0x1588) and agrees with the ADTS framing of the units.
func TestConfigMatchesStream(t *testing.T) {
	tr, err := NewG711Transcoder(false)
	if err != nil {
		t.Fatal(err)
	}
	asc, err := tr.Config().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(asc, []byte{0x15, 0x88}) {
		t.Fatalf("AudioSpecificConfig %x, want 1588 (AAC-LC, 8 kHz, mono)", asc)
	}
	if tr.SampleRate() != tr.Config().SampleRate {
		t.Fatalf("SampleRate %d != Config().SampleRate %d", tr.SampleRate(), tr.Config().SampleRate)
	}
	aus := transcodePackets(t, tr, bytes.Repeat([]byte{0xd5}, 3000), 0)
	adts, err := tr.AppendADTS(nil, aus[1])
	if err != nil {
		t.Fatal(err)
	}
	var pkts mpeg4audio.ADTSPackets
	if err := pkts.Unmarshal(adts); err != nil {
		t.Fatal(err)
	}
	if p := pkts[0]; p.Type != tr.Config().Type || p.SampleRate != tr.Config().SampleRate ||
		p.ChannelCount != 1 || !bytes.Equal(p.AU, aus[1].Data) {
		t.Fatalf("ADTS packet %+v does not match Config %+v", p, tr.Config())
	}
}

// TestTranscodeSine is the end-to-end check for both laws: a 440 Hz tone made
// by ffmpeg goes through the transcoder into an fMP4 (mediacommon) and comes
// back through ffmpeg's decoder as a 440 Hz tone of the right length, with
// continuous timestamps.
func TestTranscodeSine(t *testing.T) {
	for _, mulaw := range []bool{false, true} {
		t.Run("mulaw="+strconv.FormatBool(mulaw), func(t *testing.T) {
			const seconds = 3
			g := ffmpegG711(t, "0.5*sin(2*PI*440*t)", seconds, mulaw)
			if len(g) != seconds*8000 {
				t.Fatalf("ffmpeg made %d samples", len(g))
			}
			tr, err := NewG711Transcoder(mulaw)
			if err != nil {
				t.Fatal(err)
			}
			const pts0 = 1_234_567 // arbitrary RTP-derived start
			aus := transcodePackets(t, tr, g, pts0)

			// Priming unit first, then one unit per 1024 samples of input.
			rate := int64(tr.SampleRate())
			first := pts0*rate/8000 - 1024
			wantN := 1 + (int64(len(g))*rate/8000+1023)/1024
			if int64(len(aus)) != wantN {
				t.Fatalf("%d units, want %d", len(aus), wantN)
			}
			for k, au := range aus {
				if au.PTS != first+1024*int64(k) {
					t.Fatalf("unit %d PTS %d, want %d", k, au.PTS, first+1024*int64(k))
				}
				if len(au.Data) == 0 {
					t.Fatalf("unit %d empty", k)
				}
			}

			path := writeMP4(t, tr, aus)
			st := ffprobeAudio(t, path)
			if st.CodecName != "aac" || st.Profile != "LC" || st.SampleRate != strconv.Itoa(tr.SampleRate()) || st.Channels != 1 {
				t.Fatalf("ffprobe: %+v, want aac LC %d Hz mono", st, tr.SampleRate())
			}
			dur, _ := strconv.ParseFloat(st.Duration, 64)
			if want := float64(len(aus)*1024) / float64(rate); math.Abs(dur-want) > 0.001 {
				t.Fatalf("duration %v, want %v", dur, want)
			}

			pcm := decodeToFloat(t, path)
			if want := len(aus) * 1024; len(pcm) != want {
				t.Fatalf("decoded %d samples, want %d", len(pcm), want)
			}
			// Judge the steady middle, away from priming and the padded end.
			mid := pcm[len(pcm)/4 : 3*len(pcm)/4]
			if r := rms(mid); r < 0.5/math.Sqrt2*0.8 || r > 0.5/math.Sqrt2*1.2 {
				t.Fatalf("rms %.4f, want about %.4f", r, 0.5/math.Sqrt2)
			}
			if hz := zeroCrossingHz(mid, int(rate)); math.Abs(hz-440) > 3 {
				t.Fatalf("dominant frequency %.1f Hz, want 440", hz)
			}
			tone := goertzelPower(mid, int(rate), 440)
			for _, f := range []float64{880, 1320, 2000, 3000} {
				if r := dB(goertzelPower(mid, int(rate), f) / tone); r > -40 {
					t.Errorf("%.0f Hz only %.1f dB below the 440 Hz tone", f, r)
				}
			}
		})
	}
}

// TestTranscodeAlignment checks the priming compensation: a tone that starts
// 0.5 s into the input starts 0.5 s after the first input PTS in the decoded
// output (given each unit's PTS), not one frame late.
func TestTranscodeAlignment(t *testing.T) {
	g := ffmpegG711(t, "if(gte(t\\,0.5)\\,0.5*sin(2*PI*440*(t-0.5))\\,0)", 1.5, false)
	tr, err := NewG711Transcoder(false)
	if err != nil {
		t.Fatal(err)
	}
	const pts0 = 8000 * 1000
	aus := transcodePackets(t, tr, g, pts0)
	pcm := decodeToFloat(t, writeADTS(t, tr, aus))
	onset := -1
	for i, x := range pcm {
		if math.Abs(x) > 0.25 {
			onset = i
			break
		}
	}
	rate := int64(tr.SampleRate())
	// pcm[i] plays at aus[0].PTS+i; the tone starts at pts0+0.5 s.
	got := aus[0].PTS + int64(onset)
	want := pts0*rate/8000 + rate/2
	if onset < 0 || math.Abs(float64(got-want)) > float64(rate)/1000 {
		t.Fatalf("tone starts at %d, want %d (±1 ms); off by %d samples", got, want, got-want)
	}
}

// TestDecodedMatchesInput: camera-like audio (speech over noise) decoded by
// ffmpeg matches the input waveform at exactly the offset the PTS promise,
// and clearly worse one sample off.
func TestDecodedMatchesInput(t *testing.T) {
	for _, mulaw := range []bool{false, true} {
		t.Run("mulaw="+strconv.FormatBool(mulaw), func(t *testing.T) {
			g := cameraG711(t, 4, mulaw)
			tr, err := NewG711Transcoder(mulaw)
			if err != nil {
				t.Fatal(err)
			}
			const pts0 = 5000
			aus := transcodePackets(t, tr, g, pts0)
			dec := decodeToFloat(t, writeMP4(t, tr, aus))
			ref := decodeG711(t, g, mulaw)
			lag := int(pts0 - aus[0].PTS) // dec[0] plays at aus[0].PTS
			snr := snrDB(ref, dec, lag)
			if snr < 20 {
				t.Fatalf("decoded audio matches the input at only %.1f dB SNR", snr)
			}
			for _, off := range []int{-1, 1} {
				if other := snrDB(ref, dec, lag+off); other > snr-3 {
					t.Fatalf("SNR %.1f dB at lag %d not clearly below %.1f dB at the PTS lag %d", other, lag+off, snr, lag)
				}
			}
			t.Logf("SNR %.1f dB", snr)
		})
	}
}

// TestSmallGapsKeepContinuity: lost packets (up to 256 ms) become silence and
// a repeated packet is dropped, without breaking the unit timeline.
func TestSmallGapsKeepContinuity(t *testing.T) {
	g := ffmpegG711(t, "0.5*sin(2*PI*440*t)", 2, true)
	tr, err := NewG711Transcoder(true)
	if err != nil {
		t.Fatal(err)
	}
	var aus []AU
	write := func(off int, pts int64) {
		t.Helper()
		out, err := tr.Write(g[off:off+160], pts)
		if err != nil {
			t.Fatal(err)
		}
		aus = append(aus, out...)
	}
	for off := 0; off+160 <= len(g); off += 160 {
		switch {
		case off >= 4000 && off < 4000+12*160: // 240 ms lost
			continue
		case off == 8000:
			write(off-160, int64(off-160)) // duplicate of the previous packet
			write(off-80, int64(off-80))   // half-overlapping packet
		}
		write(off, int64(off))
	}
	out, err := tr.Flush()
	if err != nil {
		t.Fatal(err)
	}
	aus = append(aus, out...)
	rate := int64(tr.SampleRate())
	wantN := 1 + (int64(len(g))*rate/8000+1023)/1024
	if int64(len(aus)) != wantN {
		t.Fatalf("%d units, want %d", len(aus), wantN)
	}
	for k, au := range aus {
		if want := int64(-1024 + 1024*k); au.PTS != want {
			t.Fatalf("unit %d PTS %d, want %d", k, au.PTS, want)
		}
	}
	pcm := decodeToFloat(t, writeADTS(t, tr, aus))
	// The hole (0.5 s .. 0.74 s of input) is silent, audio around it is not.
	at := func(sec float64) int { return 1024 + int(sec*float64(rate)) }
	if r := rms(pcm[at(0.52):at(0.72)]); r > 0.05 {
		t.Fatalf("gap not silent: rms %.3f", r)
	}
	if r := rms(pcm[at(0.3):at(0.45)]); r < 0.25 {
		t.Fatalf("audio before gap rms %.3f", r)
	}
	if r := rms(pcm[at(1.1):at(1.4)]); r < 0.25 {
		t.Fatalf("audio after duplicate rms %.3f", r)
	}
}

// TestLargeJumpReanchors: a jump forwards over 256 ms or backwards over
// 100 ms ends the stream and starts a new one, with its own priming unit, at
// the new pts.
func TestLargeJumpReanchors(t *testing.T) {
	g := ffmpegG711(t, "0.5*sin(2*PI*440*t)", 1, false)
	for _, jump := range []int64{5 * 8000, maxSilenceFill + 1, -maxOverlapTrim - 1, -3 * 8000} {
		t.Run(strconv.FormatInt(jump, 10), func(t *testing.T) {
			tr, err := NewG711Transcoder(false)
			if err != nil {
				t.Fatal(err)
			}
			const pts1 = 80_000
			var aus []AU
			for off := 0; off < len(g); off += 160 {
				out, err := tr.Write(g[off:off+160], pts1+int64(off))
				if err != nil {
					t.Fatal(err)
				}
				aus = append(aus, out...)
			}
			pts2 := pts1 + int64(len(g)) + jump
			second := transcodePackets(t, tr, g, pts2)
			rate := int64(tr.SampleRate())
			perStream := int(1 + (int64(len(g))*rate/8000+1023)/1024)
			if len(aus)+len(second) != 2*perStream {
				t.Fatalf("%d+%d units, want 2x%d", len(aus), len(second), perStream)
			}
			all := append(aus, second...)
			for k, au := range all {
				start, i := int64(pts1), k
				if k >= perStream {
					start, i = pts2, k-perStream
				}
				if want := start*rate/8000 - 1024 + 1024*int64(i); au.PTS != want {
					t.Fatalf("unit %d PTS %d, want %d", k, au.PTS, want)
				}
			}
			if jump > 0 && all[perStream].PTS < all[perStream-1].PTS+1024 {
				t.Fatalf("new stream overlaps the old one")
			}
			// Both streams decode cleanly back to back.
			pcm := decodeToFloat(t, writeADTS(t, tr, all))
			if len(pcm) != len(all)*1024 {
				t.Fatalf("decoded %d samples, want %d", len(pcm), len(all)*1024)
			}
		})
	}
}

func TestWriteAfterFlushStartsNewStream(t *testing.T) {
	tr, err := NewG711Transcoder(false)
	if err != nil {
		t.Fatal(err)
	}
	g := bytes.Repeat([]byte{0xd5}, 4000) // A-law near-zero
	a := transcodePackets(t, tr, g, 0)
	b := transcodePackets(t, tr, g, 100)
	if len(a) != len(b) || b[0].PTS != 100-1024 {
		t.Fatalf("second stream: %d units from %d, want %d units", len(b), b[0].PTS, len(a))
	}
	if aus, err := tr.Flush(); err != nil || aus != nil {
		t.Fatalf("flush of a flushed transcoder: %v %v", aus, err)
	}
}

// TestUnitCount: n samples make one priming unit plus ceil(n/1024) units,
// whether or not n fills the last frame exactly.
func TestUnitCount(t *testing.T) {
	for _, n := range []int{1, 1023, 1024, 1025, 2048, 5000} {
		tr, err := NewG711Transcoder(true)
		if err != nil {
			t.Fatal(err)
		}
		aus := transcodePackets(t, tr, bytes.Repeat([]byte{0x80}, n), 42)
		if want := 1 + (n+SamplesPerAU-1)/SamplesPerAU; len(aus) != want {
			t.Fatalf("%d samples: %d units, want %d", n, len(aus), want)
		}
		for k, au := range aus {
			if want := int64(42 - SamplesPerAU + SamplesPerAU*k); au.PTS != want {
				t.Fatalf("%d samples: unit %d PTS %d, want %d", n, k, au.PTS, want)
			}
		}
		pcm := decodeToFloat(t, writeADTS(t, tr, aus))
		if len(pcm) != len(aus)*SamplesPerAU {
			t.Fatalf("%d samples: decoded %d, want %d", n, len(pcm), len(aus)*SamplesPerAU)
		}
	}
}
