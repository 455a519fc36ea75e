package audio

import (
	"math"
	"math/rand"
	"testing"
)

// TestMDCTMatchesDefinition checks the fast transform against the sum the
// standard writes down, on random input.
func TestMDCTMatchesDefinition(t *testing.T) {
	m := newMDCT()
	var in [mdctIn]float32
	rng := rand.New(rand.NewSource(1))
	for i := range in {
		in[i] = float32(rng.Float64()*2 - 1)
	}
	var out [mdctOut]float32
	m.transform(&in, &out)
	const n0 = (mdctIn/2 + 1) / 2.0
	worst := 0.0
	for k := 0; k < mdctOut; k += 7 {
		sum := 0.0
		for n := range mdctIn {
			sum += float64(in[n]) * float64(m.window[n]) * math.Cos(2*math.Pi/mdctIn*(float64(n)+n0)*(float64(k)+0.5))
		}
		worst = math.Max(worst, math.Abs(2*sum-float64(out[k])))
	}
	if worst > 1e-3 {
		t.Fatalf("fast MDCT differs from the definition by up to %g", worst)
	}
}
