package record

import (
	"os"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"
)

// fixtureAUs reads the test camera's H.264 fixture as access units (it has
// an AUD before each).
func fixtureAUs(t *testing.T) [][][]byte {
	b, err := os.ReadFile("../internal/testcam/fixtures/h264.h264")
	if err != nil {
		t.Fatal(err)
	}
	var nalus h264.AnnexB
	if err := nalus.Unmarshal(b); err != nil {
		t.Fatal(err)
	}
	var aus [][][]byte
	for _, n := range nalus {
		if h264.NALUType(n[0]&0x1f) == h264.NALUTypeAccessUnitDelimiter || len(aus) == 0 {
			aus = append(aus, nil)
		}
		aus[len(aus)-1] = append(aus[len(aus)-1], n)
	}
	return aus
}

// fixtureAAC reads the AAC fixture's access units and configuration.
func fixtureAAC(t *testing.T) ([][]byte, mpeg4audio.AudioSpecificConfig) {
	b, err := os.ReadFile("../internal/testcam/fixtures/room.aac")
	if err != nil {
		t.Fatal(err)
	}
	var pkts mpeg4audio.ADTSPackets
	if err := pkts.Unmarshal(b); err != nil {
		t.Fatal(err)
	}
	aus := make([][]byte, len(pkts))
	for i, p := range pkts {
		aus[i] = p.AU
	}
	return aus, mpeg4audio.AudioSpecificConfig{Type: pkts[0].Type, SampleRate: pkts[0].SampleRate, ChannelCount: pkts[0].ChannelCount}
}

// TestCutterSplitsAudioExactly drives the cutter directly with a fixed
// timeline (no network, no clock): the fixture's 15 fps video with a
// keyframe every 2 s, 350 ms past each wall-clock second, 2 s segments, and
// AAC arriving 300 ms
// or 2.5 s behind the video (as a transcoder's output does; the longer lag
// spans two cuts) or 300 ms ahead of it
// (passthrough audio can). Every audio unit at or after the first picture
// lands in exactly one file, in the file its time belongs to, and each
// file's audio continues the previous file's.
func TestCutterSplitsAudioExactly(t *testing.T) {
	for _, lag := range []time.Duration{300 * time.Millisecond, -300 * time.Millisecond, 2500 * time.Millisecond} {
		t.Run("lag "+lag.String(), func(t *testing.T) { testCutterSplit(t, lag) })
	}
}

func testCutterSplit(t *testing.T, lag time.Duration) {
	vaus := fixtureAUs(t)[:120] // 8 s (the audio fixture lasts 10 s)
	aaus, cfg := fixtureAAC(t)
	rate := cfg.SampleRate
	dir := t.TempDir()
	ev := &events{}
	c := &config{Options: Options{Dir: dir, Segment: 2 * time.Second, Scheme: utcScheme(t), Events: ev.add}}
	k := newCutter(c, testLog(t), newVideoTrack(&format.H264{}), &audioOut{rate: rate, codec: &fmp4.CodecMPEG4Audio{Config: cfg}}, nil)

	const origin = 90000 // stream time 1 s, in video ticks
	wall0 := time.Date(2024, 3, 23, 10, 0, 0, 350_000_000, time.UTC)
	aStart := int64(rate) // stream time 1 s, in audio ticks
	units := make(chan unit, len(vaus)+len(aaus)+1)
	next := 0 // next audio unit to deliver
	deliverAudio := func(upTo time.Duration) {
		for ; next < len(aaus); next++ {
			pts := aStart + int64(next)*1024
			if ticksToDur(pts+1024, rate) > upTo {
				return
			}
			units <- unit{audio: true, pts: pts, data: aaus[next], dur: 1024}
		}
	}
	// Audio begins 200 ms before the first picture: those units are dropped.
	aStart -= int64(rate) / 5
	for i, au := range vaus {
		pts := int64(origin + i*6000)
		pos := ticksToDur(pts, videoClock)
		deliverAudio(pos - lag)
		units <- unit{pts: pts, au: au, arrival: wall0.Add(pos - time.Second)}
	}
	end := ticksToDur(int64(origin+len(vaus)*6000), videoClock)
	deliverAudio(end + ticksToDur(1024, rate)) // the unit straddling the end too
	close(units)
	k.run(units)

	var segs []Event
	for _, e := range ev.list() {
		if e.Kind == SegmentClosed {
			segs = append(segs, e)
		}
	}
	if len(segs) != 4 {
		t.Fatalf("8 s of video in 2 s segments: %d files", len(segs))
	}
	aacFrame := ticksToDur(1024, rate)
	total := 0
	var prevOver time.Duration // how far the previous file's audio ran past its video
	for i, e := range segs {
		s := e.Segment
		t.Log(describe(e))
		decodes(t, s.Path)
		if want := wall0.Add(time.Duration(i) * 2 * time.Second); !s.Start.Equal(want) || s.Duration != 2*time.Second {
			t.Errorf("%s: start %v duration %v, want %v and 2s", s.Name, s.Start, s.Duration, want)
		}
		first, last := packetSpan(t, s.Path, "a")
		n := len(packetLines(t, s.Path, "a"))
		total += n
		if first < 0 || first >= aacFrame || last < s.Duration || last >= s.Duration+aacFrame {
			t.Errorf("%s: audio %v–%v for video 0–%v", s.Name, first, last, s.Duration)
		}
		if i > 0 && !within(first, prevOver, time.Millisecond) {
			t.Errorf("%s: audio starts at %v, the previous file's ran %v past its end", s.Name, first, prevOver)
		}
		prevOver = last - s.Duration
	}
	// Units beginning before the first picture are dropped (the one
	// straddling it too: it begins before the file), and so are those
	// beginning after the last picture ends; all others are in exactly one
	// file.
	want := 0
	for i := range next {
		if at := ticksToDur(aStart+int64(i)*1024, rate); at >= time.Second && at < end {
			want++
		}
	}
	if total != want {
		t.Errorf("%d audio units in the files, want %d of the %d fed", total, want, next)
	}
}
