package record

import (
	"errors"
	"log/slog"

	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg1audio"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"
	"github.com/pion/rtp"

	"github.com/camshare/camshare/internal/mpegaudio"
)

// mpegAudioClock is RTP's clock for MPEG audio (RFC 3551, payload type 14).
// The MP4 track keeps it as its timescale: the SDP names no sample rate,
// so timestamps are written as they came and the rate the sample entry
// needs is learnt from the first frame (mp3Codec).
const mpegAudioClock = 90000

// mp3Source copies MPEG audio (MP3; Layer II too) into the MP4 as it is.
func mp3Source(m *description.Media, f *format.MPEG1Audio, log *slog.Logger) *audioSource {
	return &audioSource{media: m, forma: f, log: log, auDur: mp3Duration,
		out: &audioOut{rate: mpegAudioClock, name: "mp3", learn: mp3Codec}}
}

// mp3Codec is the sample entry for the stream whose first frame is au.
func mp3Codec(au []byte) (fmp4.Codec, error) {
	var h mpeg1audio.FrameHeader
	if err := h.Unmarshal(au); err != nil {
		return nil, err
	}
	channels := 2
	if h.ChannelMode == mpeg1audio.ChannelModeMono {
		channels = 1
	}
	return &fmp4.CodecMPEG1Audio{SampleRate: h.SampleRate, ChannelCount: channels}, nil
}

// mp3Duration is a frame's duration in 90 kHz ticks (0 if it is not one).
func mp3Duration(au []byte) int64 {
	var h mpeg1audio.FrameHeader
	if h.Unmarshal(au) != nil {
		return 0
	}
	return int64(h.SampleCount()) * mpegAudioClock / int64(h.SampleRate)
}

// mp3Depacketizer undoes RFC 2250's MPEG audio payload: a 4-byte header
// (16 zero bits, the fragment's offset in its frame), then whole frames or
// one frame's fragment.
type mp3Depacketizer struct {
	partial []byte // a fragmented frame so far
	want    int    // its length
}

var errMPEGAudioPacket = errors.New("bad MPEG audio packet")

func (d *mp3Depacketizer) decode(p *rtp.Packet) ([][]byte, error) {
	b := p.Payload
	if len(b) < 4 || b[0] != 0 || b[1] != 0 {
		d.partial = nil
		return nil, errMPEGAudioPacket
	}
	offset := int(b[2])<<8 | int(b[3])
	b = b[4:]
	if offset != 0 {
		if d.partial == nil || offset != len(d.partial) || len(d.partial)+len(b) > d.want {
			d.partial = nil
			return nil, errMPEGAudioPacket
		}
		d.partial = append(d.partial, b...)
		if len(d.partial) < d.want {
			return nil, nil
		}
		frame := d.partial
		d.partial = nil
		return [][]byte{frame}, nil
	}
	d.partial = nil
	var frames [][]byte
	for len(b) > 0 {
		var h mpeg1audio.FrameHeader
		if err := h.Unmarshal(b); err != nil {
			return frames, err
		}
		n := mpegaudio.FrameLen(h)
		if n > len(b) {
			if len(frames) > 0 {
				return frames, errMPEGAudioPacket // fragments travel alone
			}
			d.partial, d.want = append([]byte(nil), b...), n
			return nil, nil
		}
		frames = append(frames, b[:n])
		b = b[n:]
	}
	return frames, nil
}
