package segment

import "github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"

// Object type indications of MPEG audio in an esds (MP4RA): mediacommon
// always writes MPEG-1's, also for the MPEG-2 half rates (16, 22.05 and
// 24 kHz) that ISO/IEC 13818-3 defines and cameras use.
const (
	otiMPEG1Audio = 0x6B // ISO/IEC 11172-3
	otiMPEG2Audio = 0x69 // ISO/IEC 13818-3
)

// tagMPEG2Audio marks the MPEG audio tracks at MPEG-2 rates as 13818-3,
// as ffmpeg does; players accept either, the standard asks for this one.
func tagMPEG2Audio(b []byte, moov box, tracks []*Track) {
	for _, t := range tracks {
		c, ok := t.Codec.(*fmp4.CodecMPEG1Audio)
		if !ok || c.SampleRate > 24000 {
			continue
		}
		if at, ok := otiOffset(b, moov, t.ID); ok && b[at] == otiMPEG1Audio {
			b[at] = otiMPEG2Audio
		}
	}
}

// otiOffset finds the objectTypeIndication byte of track id's mp4a/esds.
func otiOffset(b []byte, moov box, id int) (int, bool) {
	for _, trak := range children(b, moov, 0) {
		tkhd, ok := child(b, trak, "tkhd", 0)
		if trak.typ != "trak" || !ok || trackID(b, tkhd) != id {
			continue
		}
		stsd, ok := path(b, trak, "mdia", "minf", "stbl", "stsd")
		if !ok {
			return 0, false
		}
		mp4a, ok := child(b, stsd, "mp4a", 8) // version/flags + entry_count
		if !ok {
			return 0, false
		}
		esds, ok := child(b, mp4a, "esds", 28) // the audio sample entry's fields
		if !ok {
			return 0, false
		}
		// version/flags, ES_Descriptor (tag 3, size, ES_ID, flags = 0),
		// DecoderConfigDescriptor (tag 4, size), then the indication.
		at := esds.body + 4
		at, ok = descriptorBody(b[:esds.end], at, 3)
		if !ok || at+3 > esds.end || b[at+2] != 0 {
			return 0, false
		}
		at, ok = descriptorBody(b[:esds.end], at+3, 4)
		return at, ok && at < esds.end
	}
	return 0, false
}

// descriptorBody is where the descriptor with tag at at begins its payload
// (its size is 1 to 4 bytes of 7 bits each, ISO/IEC 14496-1 8.3.3).
func descriptorBody(b []byte, at int, tag byte) (int, bool) {
	if at >= len(b) || b[at] != tag {
		return 0, false
	}
	at++
	for i := 0; i < 4; i++ {
		if at >= len(b) {
			return 0, false
		}
		more := b[at]&0x80 != 0
		at++
		if !more {
			return at, true
		}
	}
	return 0, false
}

// trackID is a tkhd's track_ID (after version/flags and the times).
func trackID(b []byte, tkhd box) int {
	at := tkhd.body + 12 // version 0: creation and modification times
	if b[tkhd.body] == 1 {
		at = tkhd.body + 20
	}
	if at+4 > tkhd.end {
		return -1
	}
	return int(b[at])<<24 | int(b[at+1])<<16 | int(b[at+2])<<8 | int(b[at+3])
}
