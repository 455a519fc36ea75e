package segment

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// errNothing means a file holds nothing playable (no complete moov): it is
// safe to delete. Any other scan error is a failure to read, which must
// never cost the file.
var errNothing = errors.New("segment: no complete moov")

// Limits that keep a garbage file from making recovery allocate wildly; a
// real moov is a few kB and a real 1 s fragment's moof a few kB.
const (
	maxMoov = 16 << 20
	maxMoof = 16 << 20
)

// scanned is what a segment file holds that can be kept.
type scanned struct {
	moov      *moovLayout
	end       int64             // just past the last complete moof+mdat pair
	ends      map[uint32]uint64 // per track: media time where its samples end
	fragments int
}

// scan reads a segment file of size bytes: ftyp (and anything else) up to
// the moov, then moof+mdat pairs, stopping at the first pair that is torn
// or does not make sense. Bad data yields errNothing (no usable moov) or a
// shorter result, never a panic; only a read failure yields another error.
func scan(r io.ReaderAt, size int64) (*scanned, error) {
	var s scanned
	off := int64(0)
	for s.moov == nil {
		typ, _, end, ok, err := header(r, off, size)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errNothing
		}
		if typ == "moov" {
			if end-off > maxMoov {
				return nil, errNothing
			}
			b := make([]byte, end-off)
			if _, err := r.ReadAt(b, off); err != nil {
				return nil, fmt.Errorf("read moov: %w", err)
			}
			l, err := parseMoov(b, off)
			if err != nil {
				return nil, errNothing
			}
			s.moov = l
		}
		off = end
	}
	s.end = off
	s.ends = map[uint32]uint64{}
	for {
		typ, _, moofEnd, ok, err := header(r, off, size)
		if err != nil {
			return nil, err
		}
		if !ok || typ != "moof" || moofEnd-off > maxMoof {
			return &s, nil
		}
		mtyp, mbody, mdatEnd, ok, err := header(r, moofEnd, size)
		if err != nil {
			return nil, err
		}
		if !ok || mtyp != "mdat" {
			return &s, nil
		}
		moof := make([]byte, moofEnd-off)
		if _, err := r.ReadAt(moof, off); err != nil {
			return nil, fmt.Errorf("read fragment: %w", err)
		}
		ends, ok := parseMoof(moof, off, mbody, mdatEnd, s.moov)
		if !ok {
			return &s, nil
		}
		for id, e := range ends {
			s.ends[id] = max(s.ends[id], e)
		}
		s.fragments++
		s.end = mdatEnd
		off = mdatEnd
	}
}

// header reads the box header at off of a file of size bytes: its type,
// payload offset and end. It is false for a header or box that is cut off.
func header(r io.ReaderAt, off, size int64) (string, int64, int64, bool, error) {
	var h [16]byte
	if off < 0 || off+8 > size {
		return "", 0, 0, false, nil
	}
	n := int64(len(h))
	if off+n > size {
		n = size - off
	}
	if _, err := r.ReadAt(h[:n], off); err != nil && err != io.EOF {
		return "", 0, 0, false, fmt.Errorf("read: %w", err)
	}
	bsize := int64(binary.BigEndian.Uint32(h[:]))
	hdr := int64(8)
	switch bsize {
	case 0:
		bsize = size - off
	case 1:
		if n < 16 {
			return "", 0, 0, false, nil
		}
		big := binary.BigEndian.Uint64(h[8:])
		if big > uint64(size) {
			return "", 0, 0, false, nil
		}
		bsize, hdr = int64(big), 16
	}
	if bsize < hdr || bsize > size-off {
		return "", 0, 0, false, nil
	}
	return string(h[4:8]), off + hdr, off + bsize, true, nil
}

// parseMoof checks one moof against its mdat (payload from mdatBody to
// mdatEnd, file offsets) and returns where each of its tracks' samples end.
// It is false if a track is unknown, a field is cut off, or sample data
// would lie outside the mdat.
func parseMoof(b []byte, moofOff, mdatBody, mdatEnd int64, moov *moovLayout) (map[uint32]uint64, bool) {
	moof, ok := nextBox(b, 0)
	if !ok || moof.typ != "moof" {
		return nil, false
	}
	ends := map[uint32]uint64{}
	trafs := 0
	for _, traf := range children(b, moof, 0) {
		if traf.typ != "traf" {
			continue
		}
		id, end, ok := parseTraf(b, traf, moofOff, mdatBody, mdatEnd, moov)
		if !ok {
			return nil, false
		}
		ends[id] = max(ends[id], end)
		trafs++
	}
	return ends, trafs > 0
}

// tfhd and trun optional-field flags.
const (
	tfhdBaseDataOffset    = 0x000001
	tfhdSampleDescription = 0x000002
	tfhdDefaultDuration   = 0x000008
	tfhdDefaultSize       = 0x000010
	tfhdDefaultFlags      = 0x000020
	trunFirstSampleFlags  = 0x000004
)

func parseTraf(b []byte, traf box, moofOff, mdatBody, mdatEnd int64, moov *moovLayout) (uint32, uint64, bool) {
	be := binary.BigEndian
	tfhd, ok := child(b, traf, "tfhd", 0)
	if !ok || tfhd.body+8 > tfhd.end {
		return 0, 0, false
	}
	flags := be.Uint32(b[tfhd.body:]) & 0xffffff
	id := be.Uint32(b[tfhd.body+4:])
	known := false
	for _, t := range moov.tracks {
		known = known || t.id == id
	}
	if !known {
		return 0, 0, false
	}
	p := tfhd.body + 8
	base := moofOff
	var defDur, defSize uint32
	var hasSize bool
	need := func(n int) bool { return p+n <= tfhd.end }
	if flags&tfhdBaseDataOffset != 0 {
		if !need(8) {
			return 0, 0, false
		}
		base = int64(be.Uint64(b[p:]) & (1<<62 - 1))
		p += 8
	}
	if flags&tfhdSampleDescription != 0 {
		p += 4
	}
	if flags&tfhdDefaultDuration != 0 {
		if !need(4) {
			return 0, 0, false
		}
		defDur = be.Uint32(b[p:])
		p += 4
	}
	if flags&tfhdDefaultSize != 0 {
		if !need(4) {
			return 0, 0, false
		}
		defSize, hasSize = be.Uint32(b[p:]), true
	}

	tfdt, ok := child(b, traf, "tfdt", 0)
	if !ok || tfdt.body+8 > tfdt.end {
		return 0, 0, false
	}
	t := uint64(be.Uint32(b[tfdt.body+4:]))
	if b[tfdt.body] == 1 {
		if tfdt.body+12 > tfdt.end {
			return 0, 0, false
		}
		t = be.Uint64(b[tfdt.body+4:])
	}

	runs := 0
	next := base // data of a trun without data_offset follows the previous one
	for _, trun := range children(b, traf, 0) {
		if trun.typ != "trun" {
			continue
		}
		start, end, dur, ok := parseTrun(b, trun, base, next, defDur, defSize, hasSize)
		if !ok || start < mdatBody || end > mdatEnd {
			return 0, 0, false
		}
		next = end
		t += dur
		runs++
	}
	return id, t, runs > 0
}

// maxRun bounds a trun's sample count: a 1 s fragment holds tens of video
// frames and some fifty AAC frames, so this only stops garbage.
const maxRun = 1 << 20

// parseTrun returns where the run's sample data starts and ends (file
// offsets) and its total duration; the caller checks both lie in the mdat.
func parseTrun(b []byte, trun box, base, next int64, defDur, defSize uint32, hasSize bool) (int64, int64, uint64, bool) {
	be := binary.BigEndian
	if trun.body+8 > trun.end {
		return 0, 0, 0, false
	}
	flags := be.Uint32(b[trun.body:]) & 0xffffff
	count := int64(be.Uint32(b[trun.body+4:]))
	p := trun.body + 8
	start := next
	if flags&trunDataOffset != 0 {
		if p+4 > trun.end {
			return 0, 0, 0, false
		}
		start = base + int64(int32(be.Uint32(b[p:])))
		p += 4
	}
	if flags&trunFirstSampleFlags != 0 {
		p += 4
	}
	per := 0
	for _, f := range []uint32{trunSampleDuration, trunSampleSize, trunSampleFlags, trunSampleCTS} {
		if flags&f != 0 {
			per += 4
		}
	}
	if flags&trunSampleSize == 0 && !hasSize || count > maxRun {
		return 0, 0, 0, false
	}
	if int64(p)+count*int64(per) > int64(trun.end) {
		return 0, 0, 0, false
	}
	var dur uint64
	pos := start
	for i := int64(0); i < count; i++ {
		d, sz := defDur, defSize
		q := p
		if flags&trunSampleDuration != 0 {
			d = be.Uint32(b[q:])
			q += 4
		}
		if flags&trunSampleSize != 0 {
			sz = be.Uint32(b[q:])
		}
		dur += uint64(d)
		pos += int64(sz)
		p += per
	}
	if start < 0 || pos < start {
		return 0, 0, 0, false
	}
	return start, pos, dur, true
}
