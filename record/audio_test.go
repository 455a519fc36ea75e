package record

import (
	"testing"

	"github.com/bluenviron/gortsplib/v4/pkg/format"

	"github.com/camshare/camshare/record/internal/audio"
)

// TestG711BurstKept: a camera that froze for 5 s sends the audio it held
// at once, and on a busy machine the transcoder is not scheduled meanwhile.
// All of it waits for the worker (none is dropped) and comes out as AAC.
func TestG711BurstKept(t *testing.T) {
	tc, err := audio.NewG711Transcoder(false)
	if err != nil {
		t.Fatal(err)
	}
	a := transcodedSource(nil, &format.G711{}, tc, 1, testLog(t))
	const packet = 320 // 40 ms at 8 kHz
	const packets = 5 * 8000 / packet
	for i := range packets {
		a.enqueue(pcmPacket{pts: int64(i * packet), data: make([]byte, packet)})
	}
	if n := a.drops.Load(); n != 0 {
		t.Fatalf("%d of %d packets of a 5 s burst dropped before the worker ran", n, packets)
	}
	units := make(chan unit, 1024)
	a.done.Add(1)
	go a.transcode(units)
	a.stop()
	close(units)
	samples := 0
	for u := range units {
		samples += int(u.dur)
	}
	if samples < packets*packet-audio.SamplesPerAU {
		t.Fatalf("%d samples of AAC from %d of G.711", samples, packets*packet)
	}
}
