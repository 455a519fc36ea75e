package segment

import (
	"math"
	"os"
	"testing"

	amp4 "github.com/abema/go-mp4"
)

// headerDurations reads, with an independent MP4 parser, the durations a
// player sees before reading any fragment: mvhd, mehd, and each track's
// tkhd and mdhd, in seconds.
type headerDurations struct {
	movie, mehd float64
	tkhd, mdhd  []float64
}

func readHeaders(t *testing.T, path string) headerDurations {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	get := func(p ...amp4.BoxType) []amp4.IBox {
		bs, err := amp4.ExtractBoxWithPayload(f, nil, p)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var out []amp4.IBox
		for _, b := range bs {
			out = append(out, b.Payload)
		}
		return out
	}
	moov, trak, mdia := amp4.BoxTypeMoov(), amp4.BoxTypeTrak(), amp4.BoxTypeMdia()
	mvhds := get(moov, amp4.BoxTypeMvhd())
	mehds := get(moov, amp4.BoxTypeMvex(), amp4.BoxTypeMehd())
	if len(mvhds) != 1 || len(mehds) != 1 {
		t.Fatalf("%s: %d mvhd, %d mehd", path, len(mvhds), len(mehds))
	}
	mvhd := mvhds[0].(*amp4.Mvhd)
	scale := float64(mvhd.Timescale)
	h := headerDurations{
		movie: float64(mvhd.GetDuration()) / scale,
		mehd:  float64(mehds[0].(*amp4.Mehd).GetFragmentDuration()) / scale,
	}
	for _, b := range get(moov, trak, amp4.BoxTypeTkhd()) {
		h.tkhd = append(h.tkhd, float64(b.(*amp4.Tkhd).GetDuration())/scale)
	}
	for _, b := range get(moov, trak, mdia, amp4.BoxTypeMdhd()) {
		m := b.(*amp4.Mdhd)
		h.mdhd = append(h.mdhd, float64(m.GetDuration())/float64(m.Timescale))
	}
	return h
}

// checkHeaders fails unless each track's tkhd and mdhd durations are within
// tol of want[i] (a negative want is not checked) and mvhd and mehd give the
// longest track.
func checkHeaders(t *testing.T, path string, want []float64, tol float64) {
	t.Helper()
	h := readHeaders(t, path)
	if len(h.tkhd) != len(want) || len(h.mdhd) != len(want) {
		t.Fatalf("%s: header durations %+v, want %v", path, h, want)
	}
	longest := 0.0
	for i, w := range want {
		longest = max(longest, h.tkhd[i])
		if w >= 0 && (math.Abs(h.tkhd[i]-w) > tol || math.Abs(h.mdhd[i]-w) > tol) {
			t.Fatalf("%s: track %d header durations %+v, want %v", path, i+1, h, w)
		}
	}
	if h.movie != longest || h.mehd != longest {
		t.Fatalf("%s: movie durations %+v, want the longest track", path, h)
	}
}
