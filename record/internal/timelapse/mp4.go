// Package timelapse builds a day's timelapse from recorded segments without
// transcoding: key frames are pictures on their own, so one key frame every
// N seconds, copied as it is, played at 30 fps, is the day in a minute or
// two. It reads the segments' boxes with ranged reads: the init, then for
// each wanted moment one window where its fragment should be (estimated
// from the bytes per second so far) and the key frame's own bytes.
package timelapse

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// box is one ISO-BMFF box found in a buffer.
type box struct {
	typ        string
	start, end int // payload [start,end) within the buffer
	size       int // whole box
}

// boxes lists the boxes of buf (a box's payload for children); the last
// one may be cut off (end > len(buf)) when buf ends inside it.
func boxes(buf []byte) []box {
	var out []box
	for off := 0; off+8 <= len(buf); {
		size := int(binary.BigEndian.Uint32(buf[off:]))
		head := 8
		if size == 1 && off+16 <= len(buf) {
			size = int(binary.BigEndian.Uint64(buf[off+8:]))
			head = 16
		}
		if size < head {
			break
		}
		out = append(out, box{typ: string(buf[off+4 : off+8]), start: off + head, end: off + size, size: size})
		off += size
	}
	return out
}

func child(buf []byte, typ string) ([]byte, bool) {
	for _, b := range boxes(buf) {
		if b.typ == typ && b.end <= len(buf) {
			return buf[b.start:b.end], true
		}
	}
	return nil, false
}

// track is what the timelapse needs from a segment's init.
type track struct {
	id        uint32
	timescale uint32
	h265      bool
	params    [][]byte // from avcC/hvcC, for frames without their own
}

// videoTrack finds the video track in a moov payload.
func videoTrack(moov []byte) (track, error) {
	for _, b := range boxes(moov) {
		if b.typ != "trak" || b.end > len(moov) {
			continue
		}
		trak := moov[b.start:b.end]
		h264 := bytes.Contains(trak, []byte("avc1")) || bytes.Contains(trak, []byte("avc3"))
		h265 := bytes.Contains(trak, []byte("hvc1")) || bytes.Contains(trak, []byte("hev1"))
		if !h264 && !h265 {
			continue
		}
		tkhd, ok1 := child(trak, "tkhd")
		mdia, ok2 := child(trak, "mdia")
		mdhd, ok3 := child(mdia, "mdhd")
		if !ok1 || !ok2 || !ok3 || len(tkhd) < 24 || len(mdhd) < 24 {
			return track{}, errors.New("video track without tkhd/mdhd")
		}
		t := track{h265: h265, params: trackParams(trak, h265)}
		if tkhd[0] == 1 {
			t.id = binary.BigEndian.Uint32(tkhd[20:])
		} else {
			t.id = binary.BigEndian.Uint32(tkhd[12:])
		}
		if mdhd[0] == 1 {
			t.timescale = binary.BigEndian.Uint32(mdhd[20:])
		} else {
			t.timescale = binary.BigEndian.Uint32(mdhd[12:])
		}
		if t.timescale == 0 {
			return track{}, errors.New("video track with time scale 0")
		}
		return t, nil
	}
	return track{}, errors.New("no H.264 or H.265 video track")
}

// sample is one video sample of a fragment: where its bytes are in the file
// and its decode time in the track's time scale.
type sample struct {
	offset int64
	size   int
	dts    uint64
	sync   bool
}

// fragment reads a moof (its whole box in buf, at file offset at) and
// returns the video track's samples.
func fragment(moof []byte, at int64, tr track) ([]sample, error) {
	var out []sample
	for _, b := range boxes(moof) {
		if b.typ != "traf" || b.end > len(moof) {
			continue
		}
		traf := moof[b.start:b.end]
		tfhd, ok := child(traf, "tfhd")
		if !ok || len(tfhd) < 8 || binary.BigEndian.Uint32(tfhd[4:]) != tr.id {
			continue
		}
		s, err := trafSamples(traf, tfhd, at)
		if err != nil {
			return nil, err
		}
		out = append(out, s...)
	}
	return out, nil
}

// ISO/IEC 14496-12 tfhd and trun flags.
const (
	tfhdBaseDataOffset = 0x000001
	tfhdSampleDescr    = 0x000002
	tfhdDefDuration    = 0x000008
	tfhdDefSize        = 0x000010
	tfhdDefFlags       = 0x000020
	trunDataOffset     = 0x000001
	trunFirstFlags     = 0x000004
	trunDuration       = 0x000100
	trunSize           = 0x000200
	trunFlags          = 0x000400
	trunCTS            = 0x000800
	sampleNonSync      = 0x00010000
)

func trafSamples(traf, tfhd []byte, moofAt int64) ([]sample, error) {
	be := binary.BigEndian
	flags := be.Uint32(tfhd) & 0xffffff
	p := 8
	base := moofAt // default-base-is-moof, and what most writers mean without it
	var defDur, defSize, defFlags uint32
	read := func() uint32 {
		if p+4 > len(tfhd) {
			return 0
		}
		v := be.Uint32(tfhd[p:])
		p += 4
		return v
	}
	if flags&tfhdBaseDataOffset != 0 && p+8 <= len(tfhd) {
		base = int64(be.Uint64(tfhd[p:]))
		p += 8
	}
	if flags&tfhdSampleDescr != 0 {
		read()
	}
	if flags&tfhdDefDuration != 0 {
		defDur = read()
	}
	if flags&tfhdDefSize != 0 {
		defSize = read()
	}
	if flags&tfhdDefFlags != 0 {
		defFlags = read()
	}
	var dts uint64
	if tfdt, ok := child(traf, "tfdt"); ok && len(tfdt) >= 8 {
		if tfdt[0] == 1 && len(tfdt) >= 12 {
			dts = be.Uint64(tfdt[4:])
		} else {
			dts = uint64(be.Uint32(tfdt[4:]))
		}
	}
	var out []sample
	for _, b := range boxes(traf) {
		if b.typ != "trun" || b.end > len(traf) {
			continue
		}
		t := traf[b.start:b.end]
		if len(t) < 8 {
			return nil, errors.New("short trun")
		}
		tf := be.Uint32(t) & 0xffffff
		n := int(be.Uint32(t[4:]))
		q := 8
		off := base
		if tf&trunDataOffset != 0 {
			off += int64(int32(be.Uint32(t[q:])))
			q += 4
		}
		first := defFlags
		hasFirst := false
		if tf&trunFirstFlags != 0 {
			first, hasFirst = be.Uint32(t[q:]), true
			q += 4
		}
		for i := 0; i < n; i++ {
			dur, size, fl := defDur, defSize, defFlags
			get := func() uint32 {
				if q+4 > len(t) {
					return 0
				}
				v := be.Uint32(t[q:])
				q += 4
				return v
			}
			if tf&trunDuration != 0 {
				dur = get()
			}
			if tf&trunSize != 0 {
				size = get()
			}
			if tf&trunFlags != 0 {
				fl = get()
			} else if i == 0 && hasFirst {
				fl = first
			}
			if tf&trunCTS != 0 {
				get()
			}
			if q > len(t) {
				return nil, fmt.Errorf("trun holds %d entries, cut short", n)
			}
			out = append(out, sample{offset: off, size: int(size), dts: dts, sync: fl&sampleNonSync == 0})
			off += int64(size)
			dts += uint64(dur)
		}
	}
	return out, nil
}

// findMoof finds a moof box in a window of a file: the 8 bytes "moof" and
// "mfhd" in place, a plausible size, and an mdat after it when the window
// reaches that far. It returns its position in the window.
func findMoof(win []byte, from int) (int, bool) {
	for i := max(from, 4); i+16 <= len(win); i++ {
		j := bytes.Index(win[i:], []byte("moof"))
		if j < 0 {
			return 0, false
		}
		i += j
		if i < 4 || i+12 > len(win) || string(win[i+8:i+12]) != "mfhd" {
			continue
		}
		size := int(binary.BigEndian.Uint32(win[i-4:]))
		if size < 24 || size > 1<<20 {
			continue
		}
		if end := i - 4 + size; end+8 <= len(win) && string(win[end+4:end+8]) != "mdat" {
			continue
		}
		return i - 4, true
	}
	return 0, false
}
