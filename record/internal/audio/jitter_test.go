package audio

import (
	"math/rand/v2"
	"testing"
)

// TestIrregularPackets: packets of any size, with losses, repeats and the
// odd clock jump, never produce an error, and within each stream the units
// follow each other exactly (PTS k+1 = PTS k + 1024); the whole output
// decodes cleanly with ffmpeg.
func TestIrregularPackets(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	g := ffmpegG711(t, "0.4*sin(2*PI*300*t)+0.1*sin(2*PI*1700*t)", 20, false)
	tr, err := NewG711Transcoder(false)
	if err != nil {
		t.Fatal(err)
	}
	var all []AU
	restarts := 0
	pts := int64(1) << 40 // a large unwrapped RTP clock
	for off := 0; off < len(g); {
		n := 1 + rng.IntN(400)
		n = min(n, len(g)-off)
		switch r := rng.IntN(100); {
		case r < 5: // lost packet(s): silence
			pts += int64(rng.IntN(maxSilenceFill))
		case r < 10: // repeated or overlapping packet: trimmed
			pts -= int64(rng.IntN(maxOverlapTrim))
		case r == 10 && off > 0: // clock jump: restart
			pts += 10 * sampleRate
			restarts++
		}
		aus, err := tr.Write(g[off:off+n], pts)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, aus...)
		off += n
		pts += int64(n)
	}
	aus, err := tr.Flush()
	if err != nil {
		t.Fatal(err)
	}
	all = append(all, aus...)
	steps := 0
	for k := 1; k < len(all); k++ {
		if d := all[k].PTS - all[k-1].PTS; d != SamplesPerAU {
			if d < 2*SamplesPerAU { // a restart must not overlap the previous stream
				t.Fatalf("unit %d: PTS step %d", k, d)
			}
			steps++
		}
	}
	if steps != restarts || restarts == 0 {
		t.Fatalf("%d PTS discontinuities, want %d (one per clock jump)", steps, restarts)
	}
	if pcm := decodeToFloat(t, writeADTS(t, tr, all)); len(pcm) != len(all)*SamplesPerAU {
		t.Fatalf("decoded %d samples, want %d", len(pcm), len(all)*SamplesPerAU)
	}
}
