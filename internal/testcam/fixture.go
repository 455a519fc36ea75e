package testcam

import (
	"embed"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/pion/rtp"
)

// The fixtures are made by testdata/make-fixtures.sh; see there for their
// content (a real camera's low-res substream: 640x360, 15 fps, ~512 kbit/s,
// GOP 30, no B-frames, 10 s; a beeping tone over room noise).
//
//go:embed fixtures
var files embed.FS

// A fixture is one video file plus an optional audio file; fixtures share files.
type fixture struct {
	video, audio string
	info         Info
}

var fixtures = map[string]fixture{
	"h264_pcma":      {"h264.h264", "room.alaw", Info{Video: "h264", Audio: "pcma"}},
	"h264_pcmu":      {"h264.h264", "room.mulaw", Info{Video: "h264", Audio: "pcmu"}},
	"h264_aac":       {"h264.h264", "room.aac", Info{Video: "h264", Audio: "aac"}},
	"h264_l16":       {"h264.h264", "room.l16", Info{Video: "h264", Audio: "l16"}},
	"h264_opus":      {"h264.h264", "room.opus", Info{Video: "h264", Audio: "opus"}},
	"h264_mp3":       {"h264.h264", "room.mp3", Info{Video: "h264", Audio: "mp3"}},
	"h264":           {"h264.h264", "", Info{Video: "h264"}},
	"h265_pcma":      {"h265.h265", "room.alaw", Info{Video: "h265", Audio: "pcma"}},
	"h264_spschange": {"h264_spschange.h264", "room.alaw", Info{Video: "h264", Audio: "pcma", SPSChange: true}},
	"mjpeg":          {"mjpeg.mjpeg", "", Info{Video: "mjpeg"}},
}

// Info describes a fixture, for tests that check what was recorded from it.
type Info struct {
	Video     string        // "h264", "h265" or "mjpeg"
	Audio     string        // "pcma", "pcmu", "aac", "l16", "opus", "mp3" or "" (no audio track)
	SPSChange bool          // 640x360 for the first 4 s of each pass, 320x180 after
	FPS       int           // frames per second (15)
	GOP       int           // frames from one keyframe to the next (30: one every 2 s)
	Pass      time.Duration // length of one pass of the video before it loops (10 s)
}

// FixtureInfo describes the named fixture ("" = DefaultFixture).
func FixtureInfo(name string) (Info, bool) {
	if name == "" {
		name = DefaultFixture
	}
	fx, ok := fixtures[name]
	if !ok {
		return Info{}, false
	}
	i := fx.info
	i.FPS, i.GOP, i.Pass = fixtureFPS, fixtureGOP, 10*time.Second
	return i, true
}

// DefaultFixture is what Options.Fixture "" plays: what cheap cameras send.
const DefaultFixture = "h264_pcma"

// Fixtures lists the fixture names Options.Fixture accepts, sorted.
func Fixtures() []string {
	names := make([]string, 0, len(fixtures))
	for n := range fixtures {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

const (
	videoClock  = 90000
	fixtureFPS  = 15 // all fixtures: 15 fps,
	fixtureGOP  = 30 // a keyframe every 2 s
	frameTicks  = videoClock / fixtureFPS
	g711Rate    = 8000
	g711Packet  = g711Rate / 25 // 40 ms of samples per RTP packet, as cameras send
	l16Rate     = 16000
	l16Packet   = l16Rate / 25 // samples per RTP packet (40 ms)
	aacAUSample = mpeg4audio.SamplesPerAccessUnit
)

// sample is one unit to packetize: a video access unit (NALUs, or one JPEG),
// a G.711 chunk or one AAC access unit, at pts ticks into the loop.
type sample struct {
	pts  int64
	data [][]byte
}

// track is one medium of a fixture, loaded once and replayed in a loop.
type track struct {
	media     *description.Media
	clockRate int64
	samples   []sample
	loopTicks int64 // duration of one pass, so the next pass continues after it
	video     bool
	encoder   func() (encodeFunc, error)
}

// encodeFunc turns a sample into RTP packets with timestamps relative to it.
type encodeFunc func(data [][]byte) ([]*rtp.Packet, error)

// loadFixture parses a fixture's files into tracks (video first).
func loadFixture(name string) ([]*track, error) {
	if name == "" {
		name = DefaultFixture
	}
	fx, ok := fixtures[name]
	if !ok {
		return nil, fmt.Errorf("unknown fixture %q (have %v)", name, Fixtures())
	}
	v, err := loadTrack(fx.video)
	if err != nil {
		return nil, err
	}
	tracks := []*track{v}
	if fx.audio != "" {
		a, err := loadTrack(fx.audio)
		if err != nil {
			return nil, err
		}
		tracks = append(tracks, a)
	}
	return tracks, nil
}

func loadTrack(file string) (*track, error) {
	buf, err := files.ReadFile("fixtures/" + file)
	if err != nil {
		return nil, err
	}
	var t *track
	switch ext := strings.TrimPrefix(path.Ext(file), "."); ext {
	case "h264":
		t, err = h264Track(buf)
	case "h265":
		t, err = h265Track(buf)
	case "mjpeg":
		t, err = mjpegTrack(buf)
	case "alaw", "mulaw":
		t, err = g711Track(buf, ext == "mulaw")
	case "aac":
		t, err = aacTrack(buf)
	case "l16":
		t, err = l16Track(buf)
	case "opus":
		t, err = opusTrack(buf)
	case "mp3":
		t, err = mp3Track(buf)
	default:
		err = fmt.Errorf("unknown extension")
	}
	if err != nil {
		return nil, fmt.Errorf("fixture %s: %w", file, err)
	}
	if len(t.samples) == 0 {
		return nil, fmt.Errorf("fixture %s: empty", file)
	}
	return t, nil
}

// accessUnits splits an Annex-B stream into access units on its AUD NAL
// units (dropped: cameras do not send them over RTP).
func accessUnits(buf []byte, isAUD func(nalu []byte) bool) ([][][]byte, error) {
	var nalus h264.AnnexB
	if err := nalus.Unmarshal(buf); err != nil {
		return nil, err
	}
	var aus [][][]byte
	var cur [][]byte
	for _, n := range nalus {
		if len(n) == 0 {
			continue
		}
		if isAUD(n) {
			if len(cur) > 0 {
				aus = append(aus, cur)
			}
			cur = nil
			continue
		}
		cur = append(cur, n)
	}
	if len(cur) > 0 {
		aus = append(aus, cur)
	}
	return aus, nil
}

// videoSamples gives each access unit its frame time.
func videoSamples(aus [][][]byte) []sample {
	s := make([]sample, len(aus))
	for i, au := range aus {
		s[i] = sample{pts: int64(i) * frameTicks, data: au}
	}
	return s
}

func videoTrack(f format.Format, samples []sample, enc func() (encodeFunc, error)) *track {
	return &track{
		media:     &description.Media{Type: description.MediaTypeVideo, Formats: []format.Format{f}},
		clockRate: videoClock,
		samples:   samples,
		loopTicks: int64(len(samples)) * frameTicks,
		video:     true,
		encoder:   enc,
	}
}
