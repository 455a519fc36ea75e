package record

import (
	"bytes"
	"os"
	"testing"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg1audio"
	"github.com/pion/rtp"

	"github.com/camshare/camshare/internal/mpegaudio"
)

// TestMP3Depacketizer reassembles the fixture's 16 kHz MP3 frames from
// RFC 2250 packets three ways a camera may send them: one frame a packet,
// two frames a packet, and each frame in 50-byte fragments.
func TestMP3Depacketizer(t *testing.T) {
	buf, err := os.ReadFile("../internal/testcam/fixtures/room.mp3")
	if err != nil {
		t.Fatal(err)
	}
	var frames [][]byte
	for len(buf) > 0 {
		var h mpeg1audio.FrameHeader
		if err := h.Unmarshal(buf); err != nil {
			t.Fatal(err)
		}
		n := mpegaudio.FrameLen(h)
		frames, buf = append(frames, buf[:n]), buf[n:]
	}
	if len(frames) < 200 { // 10 s of 36 ms frames
		t.Fatalf("%d frames in the fixture", len(frames))
	}
	packet := func(offset int, b ...[]byte) *rtp.Packet {
		p := []byte{0, 0, byte(offset >> 8), byte(offset)}
		for _, x := range b {
			p = append(p, x...)
		}
		return &rtp.Packet{Payload: p}
	}
	ways := map[string]func() []*rtp.Packet{
		"one a packet": func() (ps []*rtp.Packet) {
			for _, f := range frames {
				ps = append(ps, packet(0, f))
			}
			return ps
		},
		"two a packet": func() (ps []*rtp.Packet) {
			for i := 0; i+1 < len(frames); i += 2 {
				ps = append(ps, packet(0, frames[i], frames[i+1]))
			}
			if len(frames)%2 == 1 {
				ps = append(ps, packet(0, frames[len(frames)-1]))
			}
			return ps
		},
		"fragments": func() (ps []*rtp.Packet) {
			for _, f := range frames {
				for o := 0; o < len(f); o += 50 {
					ps = append(ps, packet(o, f[o:min(o+50, len(f))]))
				}
			}
			return ps
		},
	}
	for name, packets := range ways {
		d := new(mp3Depacketizer)
		var got [][]byte
		for _, p := range packets() {
			out, err := d.decode(p)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			got = append(got, out...)
		}
		if len(got) != len(frames) {
			t.Fatalf("%s: %d frames, want %d", name, len(got), len(frames))
		}
		for i := range got {
			if !bytes.Equal(got[i], frames[i]) {
				t.Fatalf("%s: frame %d differs", name, i)
			}
			if d := mp3Duration(got[i]); d != 576*90000/16000 {
				t.Fatalf("%s: frame %d lasts %d ticks", name, i, d)
			}
		}
	}
}
