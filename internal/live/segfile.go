package live

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// errNoInit: the file does not hold a complete ftyp+moov (yet).
var errNoInit = errors.New("live: no complete init yet")

// maxBox bounds what is read of one moov or moof: a garbage size must not
// make the reader allocate wildly (a real one is a few kB).
const maxBox = 16 << 20

// fragment is one moof+mdat pair of a segment file, timed on its video
// track (or its first track, when there is no video).
type fragment struct {
	off, end int64  // file offsets: the pair is file[off:end]
	t0, dur  uint64 // media time of its first sample and its duration, in the track's ticks
	key      bool   // its first sample of that track is a sync sample
}

// segFile follows one segment file the recorder is writing (NAME.tmp, then
// NAME.mp4 once closed; the bytes do not change on the rename except the
// durations patched in the moov, so offsets stay valid). The recorder
// writes each fragment in one write(2), but a read may still catch one
// half-written: only pairs whose two boxes are complete are returned.
type segFile struct {
	init      []byte // ftyp+moov as first read (duration fields still zero)
	track     uint32 // the track that times parts
	timescale uint32
	video     bool   // track is a video track
	mime      string // MediaSource type, e.g. video/mp4; codecs="avc1.64001f,mp4a.40.2"
	next      int64  // offset just past the last complete fragment returned
	// written is when the init was written, if the file held nothing else
	// when it was opened: the wall time of the first frame to the
	// millisecond (the name has it to the second).
	written time.Time
}

// openSegFile reads the init of the file at path.
func openSegFile(path string) (*segFile, error) {
	f, st, err := openStat(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	for off := int64(0); ; {
		typ, _, end, ok, err := boxAt(f, off, st.Size())
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errNoInit
		}
		if typ == "moov" {
			if end > maxBox {
				return nil, fmt.Errorf("live: moov too large")
			}
			init := make([]byte, end)
			if _, err := f.ReadAt(init, 0); err != nil {
				return nil, err
			}
			s := &segFile{init: init, next: end}
			if st.Size() == end {
				s.written = st.ModTime()
			}
			if err := s.readMoov(init[off:]); err != nil {
				return nil, err
			}
			return s, nil
		}
		off = end
	}
}

// read returns the fragments completed since the last call.
func (s *segFile) read(path string) ([]fragment, error) {
	f, st, err := openStat(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []fragment
	for {
		typ, _, moofEnd, ok, err := boxAt(f, s.next, st.Size())
		if err != nil || !ok || typ != "moof" || moofEnd-s.next > maxBox {
			return out, err
		}
		mtyp, _, mdatEnd, ok, err := boxAt(f, moofEnd, st.Size())
		if err != nil || !ok || mtyp != "mdat" {
			return out, err
		}
		moof := make([]byte, moofEnd-s.next)
		if _, err := f.ReadAt(moof, s.next); err != nil {
			return out, err
		}
		fr := fragment{off: s.next, end: mdatEnd, key: true}
		s.timeFragment(moof, &fr)
		out = append(out, fr)
		s.next = mdatEnd
	}
}

// readBytes returns file[off:end].
func readBytes(path string, off, end int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, end-off)
	if _, err := f.ReadAt(b, off); err != nil {
		return nil, err
	}
	return b, nil
}

// boxAt reads the header of the box at off in a file of size bytes; false
// when it is cut off (not written yet).
func boxAt(r io.ReaderAt, off, size int64) (typ string, body, end int64, ok bool, err error) {
	var h [16]byte
	if off+8 > size {
		return "", 0, 0, false, nil
	}
	n := min(int64(len(h)), size-off)
	if _, err := r.ReadAt(h[:n], off); err != nil && err != io.EOF {
		return "", 0, 0, false, err
	}
	bsize, hdr := int64(binary.BigEndian.Uint32(h[:])), int64(8)
	if bsize == 1 {
		if n < 16 {
			return "", 0, 0, false, nil
		}
		bsize, hdr = int64(binary.BigEndian.Uint64(h[8:])), 16
	}
	if bsize < hdr || bsize > size-off {
		return "", 0, 0, false, nil
	}
	return string(h[4:8]), off + hdr, off + bsize, true, nil
}

// box is a box found in a byte slice.
type box struct {
	typ              string
	start, body, end int
}

func boxIn(b []byte, off int) (box, bool) {
	if off < 0 || off+8 > len(b) {
		return box{}, false
	}
	size := int(binary.BigEndian.Uint32(b[off:]))
	if size < 8 || size > len(b)-off {
		return box{}, false
	}
	return box{typ: string(b[off+4 : off+8]), start: off, body: off + 8, end: off + size}, true
}

// kids lists the boxes in parent's payload after skip bytes.
func kids(b []byte, parent box, skip int) []box {
	var out []box
	for off := parent.body + skip; ; {
		c, ok := boxIn(b[:parent.end], off)
		if !ok {
			return out
		}
		out = append(out, c)
		off = c.end
	}
}

func kid(b []byte, parent box, typ string, skip int) (box, bool) {
	for _, c := range kids(b, parent, skip) {
		if c.typ == typ {
			return c, true
		}
	}
	return box{}, false
}

func descend(b []byte, parent box, types ...string) (box, bool) {
	for _, t := range types {
		var ok bool
		if parent, ok = kid(b, parent, t, 0); !ok {
			return box{}, false
		}
	}
	return parent, true
}

// readMoov picks the timing track (video if any) and the MediaSource type.
func (s *segFile) readMoov(b []byte) error {
	moov, ok := boxIn(b, 0)
	if !ok {
		return errNoInit
	}
	be := binary.BigEndian
	var codecs []string
	for _, trak := range kids(b, moov, 0) {
		if trak.typ != "trak" {
			continue
		}
		tkhd, ok1 := kid(b, trak, "tkhd", 0)
		mdhd, ok2 := descend(b, trak, "mdia", "mdhd")
		hdlr, ok3 := descend(b, trak, "mdia", "hdlr")
		stsd, ok4 := descend(b, trak, "mdia", "minf", "stbl", "stsd")
		if !ok1 || !ok2 || !ok3 || !ok4 || tkhd.body+24 > tkhd.end || mdhd.body+24 > mdhd.end || hdlr.body+12 > hdlr.end {
			continue
		}
		idAt, tsAt := tkhd.body+12, mdhd.body+12
		if b[tkhd.body] == 1 {
			idAt = tkhd.body + 20
		}
		if b[mdhd.body] == 1 {
			tsAt = mdhd.body + 20
		}
		id, ts := be.Uint32(b[idAt:]), be.Uint32(b[tsAt:])
		video := string(b[hdlr.body+8:hdlr.body+12]) == "vide"
		if s.track == 0 || video && !s.video {
			s.track, s.timescale, s.video = id, ts, video
		}
		if c := codecOf(b, stsd); c != "" {
			codecs = append(codecs, c)
		}
	}
	if s.track == 0 || s.timescale == 0 {
		return fmt.Errorf("live: init has no usable track")
	}
	s.mime = "video/mp4"
	if len(codecs) > 0 {
		s.mime += `; codecs="` + strings.Join(codecs, ",") + `"`
	}
	return nil
}

// codecOf is the RFC 6381 codecs string of a track's first sample entry.
func codecOf(b []byte, stsd box) string {
	entries := kids(b, stsd, 8)
	if len(entries) == 0 {
		return ""
	}
	e := entries[0]
	switch e.typ {
	case "avc1", "avc3":
		// A visual sample entry's fixed fields are 78 bytes.
		if c, ok := kid(b, e, "avcC", 78); ok && c.body+4 <= c.end {
			return fmt.Sprintf("%s.%02x%02x%02x", e.typ, b[c.body+1], b[c.body+2], b[c.body+3])
		}
		return e.typ + ".42e01e"
	case "hvc1", "hev1":
		return e.typ + ".1.6.L93.B0"
	case "mp4a":
		return "mp4a.40.2"
	case "Opus":
		return "opus"
	}
	return ""
}

// timeFragment fills t0, dur and key from the timing track's traf.
func (s *segFile) timeFragment(b []byte, fr *fragment) {
	moof, ok := boxIn(b, 0)
	if !ok {
		return
	}
	be := binary.BigEndian
	for _, traf := range kids(b, moof, 0) {
		tfhd, ok := kid(b, traf, "tfhd", 0)
		if traf.typ != "traf" || !ok || tfhd.body+8 > tfhd.end || be.Uint32(b[tfhd.body+4:]) != s.track {
			continue
		}
		var defDur uint32
		flags := be.Uint32(b[tfhd.body:]) & 0xffffff
		p := tfhd.body + 8
		if flags&0x1 != 0 {
			p += 8
		}
		if flags&0x2 != 0 {
			p += 4
		}
		if flags&0x8 != 0 && p+4 <= tfhd.end {
			defDur = be.Uint32(b[p:])
		}
		if tfdt, ok := kid(b, traf, "tfdt", 0); ok && tfdt.body+8 <= tfdt.end {
			fr.t0 = uint64(be.Uint32(b[tfdt.body+4:]))
			if b[tfdt.body] == 1 && tfdt.body+12 <= tfdt.end {
				fr.t0 = be.Uint64(b[tfdt.body+4:])
			}
		}
		for i, trun := range kids(b, traf, 0) {
			if trun.typ == "trun" {
				d, key := trunTiming(b, trun, defDur)
				fr.dur += d
				if i == 0 || fr.dur == d {
					fr.key = key
				}
			}
		}
		return
	}
}

// trunTiming is a run's total duration and whether its first sample is a
// sync sample.
func trunTiming(b []byte, trun box, defDur uint32) (uint64, bool) {
	be := binary.BigEndian
	if trun.body+8 > trun.end {
		return 0, true
	}
	flags := be.Uint32(b[trun.body:]) & 0xffffff
	count := int(be.Uint32(b[trun.body+4:]))
	p := trun.body + 8
	if flags&0x1 != 0 {
		p += 4
	}
	key := true
	if flags&0x4 != 0 && p+4 <= trun.end {
		key = be.Uint32(b[p:])&0x00010000 == 0
		p += 4
	}
	per := 0
	for _, f := range []uint32{0x100, 0x200, 0x400, 0x800} {
		if flags&f != 0 {
			per += 4
		}
	}
	var dur uint64
	for i := 0; i < count && p+per <= trun.end; i++ {
		q := p
		d := defDur
		if flags&0x100 != 0 {
			d = be.Uint32(b[q:])
			q += 4
		}
		if flags&0x200 != 0 {
			q += 4
		}
		if i == 0 && flags&0x400 != 0 {
			key = be.Uint32(b[q:])&0x00010000 == 0
		}
		dur += uint64(d)
		p += per
	}
	return dur, key
}

// openStat opens the growing file and tells its size now: what lies past
// it is not read this time.
func openStat(path string) (*os.File, os.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, st, nil
}
