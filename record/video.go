package record

import (
	"bytes"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"
)

// videoClock is the RTP clock of H.264 and H.265 (RFC 6184, 7798).
const videoClock = 90000

// videoTrack turns access units into MP4 samples. It keeps the parameter
// sets (from the SDP, updated from the stream), puts them in front of every
// keyframe that lacks them (cameras often send them only in the SDP, and the
// DTS extractors and players joining mid-file both need them in-band), and
// works out decode times.
type videoTrack struct {
	h265          bool
	vps, sps, pps []byte
	dts264        *h264.DTSExtractor
	dts265        *h265.DTSExtractor
}

func newVideoTrack(f format.Format) *videoTrack {
	v := &videoTrack{}
	switch f := f.(type) {
	case *format.H264:
		v.sps, v.pps = f.SafeParams()
	case *format.H265:
		v.h265 = true
		v.vps, v.sps, v.pps = f.SafeParams()
	}
	v.resetDTS()
	return v
}

// ready says whether the parameter sets needed for an init segment are known.
func (v *videoTrack) ready() bool {
	if v.h265 {
		return v.vps != nil && v.sps != nil && v.pps != nil
	}
	return v.sps != nil && v.pps != nil
}

// codec is the MP4 codec description for the current parameters. A new
// value each time: a segment's init must not change under it.
func (v *videoTrack) codec() fmp4.Codec {
	if v.h265 {
		return &fmp4.CodecH265{VPS: v.vps, SPS: v.sps, PPS: v.pps}
	}
	return &fmp4.CodecH264{SPS: v.sps, PPS: v.pps}
}

// resetDTS starts DTS extraction afresh (after a timestamp jump or a new
// connection; the extractors refuse to go backwards).
func (v *videoTrack) resetDTS() {
	if v.h265 {
		v.dts265 = &h265.DTSExtractor{}
		v.dts265.Initialize()
	} else {
		v.dts264 = &h264.DTSExtractor{}
		v.dts264.Initialize()
	}
}

// scan reads an access unit: it drops access unit delimiters (useless in
// MP4), records parameter sets (changed is true when they differ from the
// ones in use, which forces a new init and so a new file), and prefixes
// keyframes with the parameter sets when missing.
func (v *videoTrack) scan(au [][]byte) (out [][]byte, key, changed bool) {
	var hasParams bool
	out = au[:0:0]
	for _, n := range au {
		if len(n) == 0 {
			continue
		}
		switch kind := v.kindOf(n); kind {
		case delimiterNALU:
			continue
		case keyNALU:
			key = true
		case vpsNALU, spsNALU, ppsNALU:
			changed = v.set(v.paramSet(kind), n) || changed
			hasParams = true
		}
		out = append(out, n)
	}
	if key && !hasParams && v.ready() {
		params := [][]byte{v.sps, v.pps}
		if v.h265 {
			params = [][]byte{v.vps, v.sps, v.pps}
		}
		out = append(params, out...)
	}
	return out, key, changed
}

// naluKind is what the cutter needs to know of a NAL unit, alike for both codecs.
type naluKind int

const (
	otherNALU naluKind = iota
	delimiterNALU
	keyNALU
	vpsNALU
	spsNALU
	ppsNALU
)

// kindOf classifies a NAL unit by its codec's type field.
func (v *videoTrack) kindOf(n []byte) naluKind {
	if v.h265 {
		switch h265.NALUType((n[0] >> 1) & 0b111111) {
		case h265.NALUType_AUD_NUT:
			return delimiterNALU
		case h265.NALUType_VPS_NUT:
			return vpsNALU
		case h265.NALUType_SPS_NUT:
			return spsNALU
		case h265.NALUType_PPS_NUT:
			return ppsNALU
		case h265.NALUType_IDR_W_RADL, h265.NALUType_IDR_N_LP, h265.NALUType_CRA_NUT:
			return keyNALU
		}
		return otherNALU
	}
	switch h264.NALUType(n[0] & 0x1f) {
	case h264.NALUTypeAccessUnitDelimiter:
		return delimiterNALU
	case h264.NALUTypeSPS:
		return spsNALU
	case h264.NALUTypePPS:
		return ppsNALU
	case h264.NALUTypeIDR:
		return keyNALU
	}
	return otherNALU
}

// paramSet is where a parameter set of that kind is kept.
func (v *videoTrack) paramSet(kind naluKind) *[]byte {
	switch kind {
	case vpsNALU:
		return &v.vps
	case spsNALU:
		return &v.sps
	}
	return &v.pps
}

// set stores a parameter set; it reports a change only when one was known
// before (the first in-band copy of a set the SDP lacked is no change).
func (v *videoTrack) set(dst *[]byte, n []byte) bool {
	if bytes.Equal(*dst, n) {
		return false
	}
	had := *dst != nil
	*dst = bytes.Clone(n)
	return had
}

// dts is the decode time of an access unit with presentation time pts
// (the extractors count in the video clock's ticks).
func (v *videoTrack) dts(au [][]byte, pts time.Duration) (time.Duration, error) {
	ticks := durToTicks(pts, videoClock)
	var dts int64
	var err error
	if v.h265 {
		dts, err = v.dts265.Extract(au, ticks)
	} else {
		dts, err = v.dts264.Extract(au, ticks)
	}
	return ticksToDur(dts, videoClock), err
}

// ptsOffset is an access unit's composition offset (PTS − DTS) in video
// clock ticks, as the MP4 sample stores it.
func ptsOffset(pts, dts time.Duration) int32 {
	return int32(durToTicks(pts, videoClock) - durToTicks(dts, videoClock))
}
