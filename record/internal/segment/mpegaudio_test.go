package segment

import (
	"testing"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"
)

// TestMPEGAudioObjectType: MP3 at an MPEG-2 rate is marked 13818-3 (0x69),
// at an MPEG-1 rate 11172-3 (0x6B), in the track that carries it.
func TestMPEGAudioObjectType(t *testing.T) {
	video := &Track{ID: 1, TimeScale: 90000, Codec: &fmp4.CodecH264{
		SPS: []byte{0x67, 0x42, 0xc0, 0x1f, 0xd9, 0x00, 0x78, 0x02, 0x27, 0xe5, 0x84, 0x00, 0x00, 0x03, 0x00, 0x04, 0x00, 0x00, 0x03, 0x00, 0xf0, 0x3c, 0x60, 0xc9, 0x20},
		PPS: []byte{0x68, 0xce, 0x3c, 0x80}}}
	for rate, want := range map[int]byte{16000: otiMPEG2Audio, 22050: otiMPEG2Audio, 24000: otiMPEG2Audio, 32000: otiMPEG1Audio, 44100: otiMPEG1Audio} {
		tracks := []*Track{video, {ID: 2, TimeScale: 90000, Codec: &fmp4.CodecMPEG1Audio{SampleRate: rate, ChannelCount: 1}}}
		b, err := buildInit(tracks, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		moov, _ := findMoov(b)
		at, ok := otiOffset(b, moov, 2)
		if !ok {
			t.Fatalf("%d Hz: no object type indication found", rate)
		}
		if b[at] != want {
			t.Errorf("%d Hz: object type 0x%02X, want 0x%02X", rate, b[at], want)
		}
		if _, ok := otiOffset(b, moov, 1); ok {
			t.Errorf("the video track has an MPEG audio object type")
		}
	}
}
