package segment

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// field is a duration field inside the moov: its offset there and whether
// it is 64-bit (box version 1) or 32-bit.
type field struct {
	off  int
	wide bool
}

func (f field) put(b []byte, v uint64) {
	if f.wide {
		binary.BigEndian.PutUint64(b[f.off:], v)
		return
	}
	binary.BigEndian.PutUint32(b[f.off:], uint32(min(v, math.MaxUint32)))
}

// trackFields are one track's duration fields: tkhd in movie time units,
// mdhd in the track's own.
type trackFields struct {
	id    uint32
	scale uint32
	tkhd  field
	mdhd  field
}

// moovLayout is where the durations live in a moov, so closing a segment
// (or recovering one) is a single in-place write of the moov.
type moovLayout struct {
	moov       []byte // the moov box itself, patched in place
	offset     int64  // where it sits in the file
	movieScale uint32
	mvhd       field
	mehd       field
	hasMehd    bool
	tracks     []trackFields
}

// parseMoov finds the duration fields of a moov box (b is the whole box).
func parseMoov(b []byte, offset int64) (*moovLayout, error) {
	moov, ok := nextBox(b, 0)
	if !ok || moov.typ != "moov" {
		return nil, fmt.Errorf("segment: no moov box")
	}
	l := &moovLayout{moov: b, offset: offset}
	mvhd, ok := child(b, moov, "mvhd", 0)
	if !ok {
		return nil, fmt.Errorf("segment: no mvhd box")
	}
	scale, dur, ok := timeFields(b, mvhd, 8, 16)
	if !ok || scale == 0 {
		return nil, fmt.Errorf("segment: bad mvhd box")
	}
	l.movieScale, l.mvhd = scale, dur
	if mehd, ok := path(b, moov, "mvex", "mehd"); ok && mehd.body+4 <= mehd.end {
		f := field{off: mehd.body + 4, wide: b[mehd.body] == 1}
		if f.off+fieldLen(f) <= mehd.end {
			l.mehd, l.hasMehd = f, true
		}
	}
	for _, trak := range children(b, moov, 0) {
		if trak.typ != "trak" {
			continue
		}
		t, err := parseTrak(b, trak)
		if err != nil {
			return nil, err
		}
		l.tracks = append(l.tracks, t)
	}
	if len(l.tracks) == 0 {
		return nil, fmt.Errorf("segment: no tracks")
	}
	return l, nil
}

func parseTrak(b []byte, trak box) (trackFields, error) {
	tkhd, ok := child(b, trak, "tkhd", 0)
	if !ok {
		return trackFields{}, fmt.Errorf("segment: no tkhd box")
	}
	// tkhd: times, then track_ID, reserved, duration; the "scale" slot of
	// timeFields lands on track_ID.
	id, tkdur, ok := timeFields(b, tkhd, 8, 16)
	if !ok {
		return trackFields{}, fmt.Errorf("segment: bad tkhd box")
	}
	tkdur.off += 4 // skip the reserved word between track_ID and duration
	if tkdur.off+fieldLen(tkdur) > tkhd.end {
		return trackFields{}, fmt.Errorf("segment: bad tkhd box")
	}
	mdhd, ok := path(b, trak, "mdia", "mdhd")
	if !ok {
		return trackFields{}, fmt.Errorf("segment: no mdhd box")
	}
	scale, mddur, ok := timeFields(b, mdhd, 8, 16)
	if !ok || scale == 0 {
		return trackFields{}, fmt.Errorf("segment: bad mdhd box")
	}
	return trackFields{id: id, scale: scale, tkhd: tkdur, mdhd: mddur}, nil
}

// timeFields reads the common full-box layout "creation, modification
// (32 or 64 bit), a 32-bit word, duration (32 or 64 bit)" of mvhd, tkhd and
// mdhd: it returns the 32-bit word and the duration field.
func timeFields(b []byte, bx box, skip0, skip1 int) (uint32, field, bool) {
	if bx.body+4 > bx.end {
		return 0, field{}, false
	}
	wide := b[bx.body] == 1
	skip := skip0
	if wide {
		skip = skip1
	}
	word := bx.body + 4 + skip
	f := field{off: word + 4, wide: wide}
	if f.off+fieldLen(f) > bx.end {
		return 0, field{}, false
	}
	return binary.BigEndian.Uint32(b[word:]), f, true
}

func fieldLen(f field) int {
	if f.wide {
		return 8
	}
	return 4
}

// patch writes the durations: ends[id] is where each track's media ends, in
// its own time scale. The movie duration is the longest track.
func (l *moovLayout) patch(w io.WriterAt, ends map[uint32]uint64) error {
	var movie uint64
	for _, t := range l.tracks {
		end := ends[t.id]
		inMovie := scaleUp(end, uint64(l.movieScale), uint64(t.scale))
		movie = max(movie, inMovie)
		t.mdhd.put(l.moov, end)
		t.tkhd.put(l.moov, inMovie)
	}
	l.mvhd.put(l.moov, movie)
	if l.hasMehd {
		l.mehd.put(l.moov, movie)
	}
	if _, err := w.WriteAt(l.moov, l.offset); err != nil {
		return fmt.Errorf("segment: write durations: %w", err)
	}
	return nil
}

// scaleUp converts v from scale from to scale to, rounding up so a
// container duration never cuts off the last sample.
func scaleUp(v, to, from uint64) uint64 {
	if from == 0 {
		return 0
	}
	hi, lo := mulDiv(v, to, from)
	if hi {
		return math.MaxUint64
	}
	return lo
}

// mulDiv is ceil(a*b/c) without overflow for realistic values; hi reports
// a result beyond 64 bits.
func mulDiv(a, b, c uint64) (bool, uint64) {
	q, r := a/c, a%c
	if b != 0 && q > math.MaxUint64/b {
		return true, 0
	}
	res := q * b
	// r < c, so r*b may still overflow for huge scales; fall back to float.
	if b != 0 && r > math.MaxUint64/b {
		return false, res + uint64(math.Ceil(float64(r)*float64(b)/float64(c)))
	}
	return false, res + (r*b+c-1)/c
}
