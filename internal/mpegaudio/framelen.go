// Package mpegaudio holds what camshare needs of MPEG audio (MP3) that
// mediacommon lacks: the length of an MPEG-2 Layer III frame. The recorder
// uses it to find whole frames in RTP payloads, and the test camera to cut
// frames from its fixture.
package mpegaudio

import "github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg1audio"

// FrameLen is a frame's length in bytes (ISO/IEC 11172-3 and 13818-3,
// 2.4.3.1). mediacommon's FrameLen uses MPEG-1's slot count for MPEG-2
// Layer III too, whose frames (576 samples) are half as long, so a 16 or
// 22.05 kHz camera's frames would never be complete.
func FrameLen(h mpeg1audio.FrameHeader) int {
	pad := 0
	if h.Padding {
		pad = 1
	}
	switch {
	case h.Layer == 1:
		return (12*h.Bitrate/h.SampleRate + pad) * 4
	case h.Layer == 3 && h.MPEG2:
		return 72*h.Bitrate/h.SampleRate + pad
	}
	return 144*h.Bitrate/h.SampleRate + pad
}
