package testcam

import (
	"bytes"
	"fmt"

	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/opus"
	"github.com/pion/rtp"
)

// The SDP carries the first parameter sets, as a camera's does; later ones
// (the spschange fixture) only arrive in-band.

func h264Track(buf []byte) (*track, error) {
	aus, err := accessUnits(buf, func(n []byte) bool { return h264.NALUType(n[0]&0x1f) == h264.NALUTypeAccessUnitDelimiter })
	if err != nil {
		return nil, err
	}
	f := &format.H264{PayloadTyp: 96, PacketizationMode: 1}
	for _, n := range firstAU(aus) {
		switch h264.NALUType(n[0] & 0x1f) {
		case h264.NALUTypeSPS:
			f.SPS = n
		case h264.NALUTypePPS:
			f.PPS = n
		}
	}
	if f.SPS == nil || f.PPS == nil {
		return nil, fmt.Errorf("no SPS/PPS in the first access unit")
	}
	return videoTrack(f, videoSamples(aus), auEncoder(f.CreateEncoder)), nil
}

func h265Track(buf []byte) (*track, error) {
	typ := func(n []byte) h265.NALUType { return h265.NALUType((n[0] >> 1) & 0x3f) }
	aus, err := accessUnits(buf, func(n []byte) bool { return typ(n) == h265.NALUType_AUD_NUT })
	if err != nil {
		return nil, err
	}
	f := &format.H265{PayloadTyp: 96}
	for _, n := range firstAU(aus) {
		switch typ(n) {
		case h265.NALUType_VPS_NUT:
			f.VPS = n
		case h265.NALUType_SPS_NUT:
			f.SPS = n
		case h265.NALUType_PPS_NUT:
			f.PPS = n
		}
	}
	if f.VPS == nil || f.SPS == nil || f.PPS == nil {
		return nil, fmt.Errorf("no VPS/SPS/PPS in the first access unit")
	}
	return videoTrack(f, videoSamples(aus), auEncoder(f.CreateEncoder)), nil
}

func firstAU(aus [][][]byte) [][]byte {
	if len(aus) == 0 {
		return nil
	}
	return aus[0]
}

// mjpegTrack splits concatenated JPEGs after each EOI marker (0xFFD9 cannot
// occur inside entropy-coded data, where 0xFF is always stuffed).
func mjpegTrack(buf []byte) (*track, error) {
	var frames [][][]byte
	for len(buf) > 0 {
		end := bytes.Index(buf, []byte{0xff, 0xd9})
		if end < 0 {
			return nil, fmt.Errorf("truncated JPEG")
		}
		frames = append(frames, [][]byte{withChromaTable(buf[:end+2])})
		buf = buf[end+2:]
	}
	f := &format.MJPEG{}
	return videoTrack(f, videoSamples(frames), frameEncoder(f.CreateEncoder)), nil
}

// g711Track cuts raw 8 kHz mono G.711 into 40 ms packets.
func g711Track(buf []byte, mulaw bool) (*track, error) {
	f := &format.G711{PayloadTyp: 8, MULaw: mulaw, SampleRate: g711Rate, ChannelCount: 1}
	if mulaw {
		f.PayloadTyp = 0
	}
	return rawAudioTrack(f, g711Rate, g711Packet, 1, buf, frameEncoder(f.CreateEncoder)), nil
}

// l16Track cuts raw 16 kHz mono big-endian 16-bit LPCM (RTP L16) into
// 40 ms packets.
func l16Track(buf []byte) (*track, error) {
	f := &format.LPCM{PayloadTyp: 98, BitDepth: 16, SampleRate: l16Rate, ChannelCount: 1}
	return rawAudioTrack(f, l16Rate, l16Packet, 2, buf, frameEncoder(f.CreateEncoder)), nil
}

// rawAudioTrack cuts raw audio (width bytes a sample) into packets of
// perPacket samples.
func rawAudioTrack(f format.Format, rate, perPacket, width int, buf []byte, enc func() (encodeFunc, error)) *track {
	var s []sample
	size := perPacket * width
	for i := 0; i+size <= len(buf); i += size {
		s = append(s, sample{pts: int64(i / width), data: [][]byte{buf[i : i+size]}})
	}
	return &track{
		media:     &description.Media{Type: description.MediaTypeAudio, Formats: []format.Format{f}},
		clockRate: int64(rate),
		samples:   s,
		loopTicks: int64(len(s)) * int64(perPacket),
		encoder:   enc,
	}
}

// auEncoder adapts an RTP encoder of whole access units (H.264, H.265).
func auEncoder[E interface {
	Encode([][]byte) ([]*rtp.Packet, error)
}](create func() (E, error)) func() (encodeFunc, error) {
	return func() (encodeFunc, error) {
		e, err := create()
		if err != nil {
			return nil, err
		}
		return e.Encode, nil
	}
}

// frameEncoder adapts an RTP encoder of one frame or packet at a time
// (MJPEG, G.711, LPCM).
func frameEncoder[E interface {
	Encode([]byte) ([]*rtp.Packet, error)
}](create func() (E, error)) func() (encodeFunc, error) {
	return func() (encodeFunc, error) {
		e, err := create()
		if err != nil {
			return nil, err
		}
		return func(d [][]byte) ([]*rtp.Packet, error) { return e.Encode(d[0]) }, nil
	}
}

// opusTrack sends the packets of an Ogg Opus file, one per RTP packet
// (RFC 7587: 48 kHz clock).
func opusTrack(buf []byte) (*track, error) {
	pkts, err := oggPackets(buf)
	if err != nil {
		return nil, err
	}
	if len(pkts) < 3 || !bytes.HasPrefix(pkts[0], []byte("OpusHead")) {
		return nil, fmt.Errorf("not Ogg Opus")
	}
	f := &format.Opus{PayloadTyp: 111, ChannelCount: int(pkts[0][9])}
	var s []sample
	pts := int64(0)
	for _, p := range pkts[2:] { // after OpusHead and OpusTags
		s = append(s, sample{pts: pts, data: [][]byte{p}})
		pts += opus.PacketDuration2(p)
	}
	return &track{
		media:     &description.Media{Type: description.MediaTypeAudio, Formats: []format.Format{f}},
		clockRate: 48000,
		samples:   s,
		loopTicks: pts,
		encoder: func() (encodeFunc, error) {
			e, err := f.CreateEncoder()
			if err != nil {
				return nil, err
			}
			return func(d [][]byte) ([]*rtp.Packet, error) {
				p, err := e.Encode(d[0])
				return []*rtp.Packet{p}, err
			}, nil
		},
	}, nil
}

// oggPackets reassembles the packets of an Ogg stream (RFC 3533: pages of
// lacing values; a value below 255 ends a packet).
func oggPackets(buf []byte) ([][]byte, error) {
	var pkts [][]byte
	var cur []byte
	for len(buf) > 0 {
		if len(buf) < 27 || string(buf[:4]) != "OggS" {
			return nil, fmt.Errorf("bad Ogg page")
		}
		nseg := int(buf[26])
		if len(buf) < 27+nseg {
			return nil, fmt.Errorf("truncated Ogg page")
		}
		lacing := buf[27 : 27+nseg]
		data := buf[27+nseg:]
		for _, l := range lacing {
			if len(data) < int(l) {
				return nil, fmt.Errorf("truncated Ogg page")
			}
			cur = append(cur, data[:l]...)
			data = data[l:]
			if l < 255 {
				pkts = append(pkts, cur)
				cur = nil
			}
		}
		buf = data
	}
	return pkts, nil
}

// aacTrack sends one ADTS access unit (64 ms at 16 kHz) per RTP packet
// (RFC 3640, AAC-hbr).
func aacTrack(buf []byte) (*track, error) {
	var pkts mpeg4audio.ADTSPackets
	if err := pkts.Unmarshal(buf); err != nil {
		return nil, err
	}
	if len(pkts) == 0 {
		return nil, fmt.Errorf("no ADTS frames")
	}
	p0 := pkts[0]
	f := &format.MPEG4Audio{
		PayloadTyp:     97,
		ProfileLevelID: 1,
		Config: &mpeg4audio.AudioSpecificConfig{
			Type:         p0.Type,
			SampleRate:   p0.SampleRate,
			ChannelCount: p0.ChannelCount,
		},
		SizeLength:       13,
		IndexLength:      3,
		IndexDeltaLength: 3,
	}
	s := make([]sample, len(pkts))
	for i, p := range pkts {
		s[i] = sample{pts: int64(i) * aacAUSample, data: [][]byte{p.AU}}
	}
	return &track{
		media:     &description.Media{Type: description.MediaTypeAudio, Formats: []format.Format{f}},
		clockRate: int64(p0.SampleRate),
		samples:   s,
		loopTicks: int64(len(s)) * aacAUSample,
		encoder:   auEncoder(f.CreateEncoder),
	}, nil
}

// withChromaTable gives a JPEG that has a single quantization table (as
// ffmpeg's encoder writes, sharing it between luma and chroma) an identical
// table 1: RTP/JPEG (RFC 2435) carries two tables for types 0/1, and
// receivers such as ffmpeg reject a payload with only one.
func withChromaTable(jpg []byte) []byte {
	// Walk marker segments after SOI up to the scan.
	var table0 []byte
	for pos := 2; pos+4 <= len(jpg) && jpg[pos] == 0xff; {
		marker := jpg[pos+1]
		size := int(jpg[pos+2])<<8 | int(jpg[pos+3])
		if marker == 0xda || pos+2+size > len(jpg) {
			break
		}
		if marker == 0xdb {
			for t := jpg[pos+4 : pos+2+size]; len(t) >= 65 && t[0]>>4 == 0; t = t[65:] {
				switch t[0] & 0x0f {
				case 0:
					table0 = t[1:65]
				case 1:
					return jpg // already has a chroma table
				}
			}
		}
		pos += 2 + size
	}
	if table0 == nil {
		return jpg
	}
	dqt := append([]byte{0xff, 0xdb, 0x00, 0x43, 0x01}, table0...)
	out := make([]byte, 0, len(jpg)+len(dqt))
	out = append(out, jpg[:2]...)
	out = append(out, dqt...)
	return append(out, jpg[2:]...)
}
