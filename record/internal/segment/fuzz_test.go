package segment

import (
	"bytes"
	"encoding/binary"
	"os"
	"testing"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"
)

// seedAAC is an AAC-LC codec for tracks whose payloads are made up.
func seedAAC() *fmp4.CodecMPEG4Audio {
	return &fmp4.CodecMPEG4Audio{
		Config: mpeg4audio.AudioSpecificConfig{Type: mpeg4audio.ObjectTypeAACLC, SampleRate: 48000, ChannelCount: 1}}
}

type discard struct{}

func (discard) WriteAt(p []byte, _ int64) (int, error) { return len(p), nil }

// FuzzScan feeds the recovery parser arbitrary bytes: it must never panic,
// never claim more than the data holds, and keep what it keeps when run on
// its own output.
//
// Its seeds are hand-made files of a few hundred bytes: the fuzzer
// minimises every input that finds new coverage by trying to remove each
// range of its bytes (quadratic in its length, for up to -fuzzminimizetime,
// 60 s by default), and with the writer's real segments (1.6-8.5 kB) as
// seeds each new input cost a worker that minute: 7 execs in 30 s. Real
// segments, torn and bit-flipped, are FuzzRecover's inputs instead.
func FuzzScan(f *testing.F) {
	f.Add(tinySegment(false, 1, 2))
	f.Add(tinySegment(true, 2, 1))
	whole := tinySegment(false, 2, 2)
	f.Add(whole[:len(whole)-5])
	f.Add([]byte{0, 0, 0, 1, 'm', 'o', 'o', 'v', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := scan(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		if s.end > int64(len(data)) || s.end < 0 {
			t.Fatalf("end %d beyond %d bytes", s.end, len(data))
		}
		moov, _ := nextBox(s.moov.moov, 0)
		tagHvc1(s.moov.moov, moov)
		if err := s.moov.patch(discard{}, s.ends); err != nil {
			t.Fatal(err)
		}
		again, err := scan(bytes.NewReader(data[:s.end]), s.end)
		if err != nil || again.fragments != s.fragments || again.end != s.end {
			t.Fatalf("rescan of the kept part: %+v %v, first %+v", again, err, s)
		}
	})
}

// tinySegment is the smallest file scan keeps fragments of: a moov with
// only the boxes parseMoov reads (mvhd, mvex/mehd, and per track tkhd and
// mdia/mdhd; version 1, 64-bit times, when wide), then fragments of one
// sample per track made by the writer's own appendFragment.
func tinySegment(wide bool, tracks, fragments int) []byte {
	var traks [][]byte
	for id := 1; id <= tracks; id++ {
		traks = append(traks, mp4box("trak",
			fullBox("tkhd", wide, times(wide), u32(uint32(id)), u32(0), dur(wide)),
			mp4box("mdia", fullBox("mdhd", wide, times(wide), u32(48000), dur(wide)))))
	}
	moov := mp4box("moov", append([][]byte{
		fullBox("mvhd", wide, times(wide), u32(1000), dur(wide)),
		mp4box("mvex", fullBox("mehd", wide, dur(wide)))}, traks...)...)
	b := append(mp4box("ftyp", []byte("iso6")), moov...)
	for i := range fragments {
		var runs []run
		for id := 1; id <= tracks; id++ {
			s := fmp4.Sample{Duration: 48000, Payload: []byte{byte(i), byte(id)}, IsNonSyncSample: id > 1}
			runs = append(runs, newRun(uint32(id), uint64(i)*48000, []sample{{Sample: s}}))
		}
		b = appendFragment(b, uint32(i+1), runs)
	}
	return b
}

func mp4box(typ string, parts ...[]byte) []byte {
	body := bytes.Join(parts, nil)
	return append(append(u32(uint32(8+len(body))), typ...), body...)
}

// fullBox is a box with a version byte (1 when wide) and 24 bits of flags.
func fullBox(typ string, wide bool, parts ...[]byte) []byte {
	v := u32(0)
	if wide {
		v = u32(1 << 24)
	}
	return mp4box(typ, append([][]byte{v}, parts...)...)
}

// times is a full box's creation and modification times.
func times(wide bool) []byte { return append(dur(wide), dur(wide)...) }

// dur is a 32- or 64-bit time field (zero: patch fills durations in).
func dur(wide bool) []byte {
	if wide {
		return make([]byte, 8)
	}
	return make([]byte, 4)
}

func u32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

// A closed segment scans completely: every fragment kept.
func TestScanClosed(t *testing.T) {
	dir := t.TempDir()
	m := clip(t, "libx264", 3, true)
	w := record(t, dir, utcScheme(t), testStart, m, 0)
	info, err := w.Close(endOf(m, 0))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(info.Path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := scan(bytes.NewReader(b), int64(len(b)))
	if err != nil || s.end != int64(len(b)) || s.fragments != 3 {
		t.Fatalf("scan of a closed segment: %+v %v (size %d)", s, err, len(b))
	}
	if s.ends[1] != 3*90000 {
		t.Fatalf("video ends at %d, want %d", s.ends[1], 3*90000)
	}
}

// The hand-made seeds are segments scan keeps whole, so the fuzzer starts
// from files that reach the fragment parser.
func TestScanTinySegment(t *testing.T) {
	for _, c := range []struct {
		wide              bool
		tracks, fragments int
	}{{false, 1, 2}, {true, 2, 1}, {false, 2, 2}} {
		b := tinySegment(c.wide, c.tracks, c.fragments)
		s, err := scan(bytes.NewReader(b), int64(len(b)))
		if err != nil || s.fragments != c.fragments || s.end != int64(len(b)) || len(s.moov.tracks) != c.tracks ||
			s.ends[1] != uint64(c.fragments)*48000 {
			t.Fatalf("%+v (%d bytes): %+v %v", c, len(b), s, err)
		}
	}
}
