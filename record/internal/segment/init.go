package segment

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4/seekablebuffer"
)

// mehdSize is the movie-extends header we add (full box, version 1): it
// carries the whole file's duration, which players read for fragmented files.
const mehdSize = 20

// buildInit marshals ftyp+moov with mediacommon, then makes two changes it
// does not: an mehd box in mvex (so the duration can be patched in place on
// close without moving the fragments), the hvc1 tag for H.265 and MPEG-2
// audio's own object type.
func buildInit(tracks []*Track, start time.Time) ([]byte, error) {
	var it fmp4.Init
	for _, t := range tracks {
		it.Tracks = append(it.Tracks, &fmp4.InitTrack{ID: t.ID, TimeScale: t.TimeScale, Codec: t.Codec})
	}
	var sb seekablebuffer.Buffer
	if err := it.Marshal(&sb); err != nil {
		return nil, fmt.Errorf("segment: init: %w", err)
	}
	b, err := insertMehd(sb.Bytes())
	if err != nil {
		return nil, err
	}
	moov, ok := findMoov(b)
	if !ok {
		return nil, fmt.Errorf("segment: init: no moov")
	}
	tagHvc1(b, moov)
	tagMPEG2Audio(b, moov, tracks)
	setCreation(b, moov, start)
	return b, nil
}

// findMoov is the top-level moov box of an init.
func findMoov(b []byte) (box, bool) {
	for off := 0; ; {
		bx, ok := nextBox(b, off)
		if !ok {
			return box{}, false
		}
		if bx.typ == "moov" {
			return bx, true
		}
		off = bx.end
	}
}

// insertMehd adds an empty version-1 mehd as the first child of moov/mvex.
func insertMehd(b []byte) ([]byte, error) {
	moov, ok := findMoov(b)
	if !ok {
		return nil, fmt.Errorf("segment: init: no moov")
	}
	mvex, ok := child(b, moov, "mvex", 0)
	if !ok {
		return nil, fmt.Errorf("segment: init: no mvex")
	}
	if _, has := child(b, mvex, "mehd", 4); has {
		return b, nil
	}
	out := make([]byte, 0, len(b)+mehdSize)
	out = append(out, b[:mvex.body]...)
	out = binary.BigEndian.AppendUint32(out, mehdSize)
	out = append(out, "mehd"...)
	out = append(out, 1, 0, 0, 0)
	out = binary.BigEndian.AppendUint64(out, 0)
	out = append(out, b[mvex.body:]...)
	binary.BigEndian.PutUint32(out[moov.start:], uint32(moov.end-moov.start+mehdSize))
	binary.BigEndian.PutUint32(out[mvex.start:], uint32(mvex.end-mvex.start+mehdSize))
	return out, nil
}

// tagHvc1 renames hev1 sample entries to hvc1: Apple players refuse hev1,
// and with every parameter set in hvcC (as mediacommon writes it) hvc1 is
// the correct tag.
func tagHvc1(b []byte, moov box) {
	for _, trak := range children(b, moov, 0) {
		if trak.typ != "trak" {
			continue
		}
		stsd, ok := path(b, trak, "mdia", "minf", "stbl", "stsd")
		if !ok {
			continue
		}
		for _, entry := range children(b, stsd, 8) { // version/flags + entry_count
			if entry.typ == "hev1" {
				copy(b[entry.start+4:], "hvc1")
			}
		}
	}
}

// path follows a chain of plain container boxes below parent.
func path(b []byte, parent box, types ...string) (box, bool) {
	cur := parent
	for _, t := range types {
		next, ok := child(b, cur, t, 0)
		if !ok {
			return box{}, false
		}
		cur = next
	}
	return cur, true
}

// mp4Epoch is where MP4 times count from.
var mp4Epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)

// setCreation stamps mvhd with the segment's start, which ffprobe reports
// as creation_time: the footage's own time survives renames and copies.
func setCreation(b []byte, moov box, start time.Time) {
	mvhd, ok := child(b, moov, "mvhd", 0)
	if !ok || mvhd.body+12 > mvhd.end || b[mvhd.body] != 0 {
		return
	}
	secs := uint32(start.Sub(mp4Epoch) / time.Second)
	binary.BigEndian.PutUint32(b[mvhd.body+4:], secs)
	binary.BigEndian.PutUint32(b[mvhd.body+8:], secs)
}
