package testcam

import (
	"fmt"
	"math/rand/v2"

	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg1audio"
	"github.com/pion/rtp"

	"github.com/camshare/camshare/internal/mpegaudio"
)

// mp3Track sends an MPEG audio file (Layer III frames), one frame per RTP
// packet as RFC 2250 payload type 14 (90 kHz clock; a 4-byte header whose
// fragment offset is 0 for whole frames).
func mp3Track(buf []byte) (*track, error) {
	var s []sample
	pts := int64(0)
	for len(buf) > 0 {
		var h mpeg1audio.FrameHeader
		if err := h.Unmarshal(buf); err != nil {
			return nil, err
		}
		n := mpegaudio.FrameLen(h)
		if n < 4 || n > len(buf) {
			return nil, fmt.Errorf("truncated frame")
		}
		s = append(s, sample{pts: pts, data: [][]byte{buf[:n]}})
		buf = buf[n:]
		pts += int64(h.SampleCount()) * 90000 / int64(h.SampleRate)
	}
	return &track{
		media:     &description.Media{Type: description.MediaTypeAudio, Formats: []format.Format{&format.MPEG1Audio{}}},
		clockRate: 90000,
		samples:   s,
		loopTicks: pts,
		encoder:   mp3Encoder,
	}, nil
}

// mp3Encoder wraps one frame a packet (timestamps are relative to the
// sample; the player adds the base).
func mp3Encoder() (encodeFunc, error) {
	ssrc, seq := rand.Uint32(), uint16(rand.Uint32())
	return func(d [][]byte) ([]*rtp.Packet, error) {
		seq++
		payload := append(make([]byte, 4, 4+len(d[0])), d[0]...)
		return []*rtp.Packet{{Header: rtp.Header{Version: 2, PayloadType: 14, Marker: true,
			SequenceNumber: seq, SSRC: ssrc}, Payload: payload}}, nil
	}, nil
}
