package segment

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"
)

// seedSegment is a small real segment from the writer (AAC tracks with
// made-up payloads: the parser does not look inside samples).
func seedSegment(f *testing.F, tracks int) []byte {
	dir := f.TempDir()
	var ts []*Track
	for i := 1; i <= tracks; i++ {
		ts = append(ts, &Track{ID: i, TimeScale: 48000, Codec: seedAAC()})
	}
	w, err := Create(dir, utcScheme(f), testStart, ts)
	if err != nil {
		f.Fatal(err)
	}
	for i := range 120 {
		for id := 1; id <= tracks; id++ {
			s := fmp4.Sample{Payload: bytes.Repeat([]byte{byte(i)}, 10+i%7), PTSOffset: int32(i % 3), IsNonSyncSample: i%5 != 0}
			if err := w.Write(id, int64(i)*1024, &s); err != nil {
				f.Fatal(err)
			}
		}
	}
	info, err := w.Close(nil)
	if err != nil {
		f.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, info.Name))
	if err != nil {
		f.Fatal(err)
	}
	return b
}

func seedAAC() *fmp4.CodecMPEG4Audio {
	return &fmp4.CodecMPEG4Audio{
		Config: mpeg4audio.AudioSpecificConfig{Type: mpeg4audio.ObjectTypeAACLC, SampleRate: 48000, ChannelCount: 1}}
}

type discard struct{}

func (discard) WriteAt(p []byte, _ int64) (int, error) { return len(p), nil }

// FuzzScan feeds the recovery parser arbitrary bytes: it must never panic,
// never claim more than the data holds, and keep what it keeps when run on
// its own output.
func FuzzScan(f *testing.F) {
	one, two := seedSegment(f, 1), seedSegment(f, 2)
	f.Add(one)
	f.Add(two)
	f.Add(two[:len(two)-5])
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
