package testcam

import (
	"sync"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/pion/rtp"
)

// rtpLog records, per media type, the RTP timestamp of every sample (each
// distinct timestamp once) and the SSRC, as a gortsplib client receives them.
type rtpLog struct {
	mu   sync.Mutex
	ts   map[description.MediaType][]uint32
	ssrc map[description.MediaType]uint32
}

func readRTP(t *testing.T, url string, transport gortsplib.Transport) (*rtpLog, func()) {
	t.Helper()
	u, err := base.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	c := &gortsplib.Client{Scheme: u.Scheme, Host: u.Host, Transport: &transport}
	if err := c.Start2(); err != nil {
		t.Fatal(err)
	}
	desc, _, err := c.Describe(u)
	if err != nil {
		c.Close()
		t.Fatal(err)
	}
	if err := c.SetupAll(desc.BaseURL, desc.Medias); err != nil {
		c.Close()
		t.Fatal(err)
	}
	l := &rtpLog{ts: map[description.MediaType][]uint32{}, ssrc: map[description.MediaType]uint32{}}
	c.OnPacketRTPAny(func(m *description.Media, _ format.Format, p *rtp.Packet) {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.ssrc[m.Type] = p.SSRC
		if s := l.ts[m.Type]; len(s) == 0 || s[len(s)-1] != p.Timestamp {
			l.ts[m.Type] = append(s, p.Timestamp)
		}
	})
	if _, err := c.Play(nil); err != nil {
		c.Close()
		t.Fatal(err)
	}
	return l, c.Close
}

func (l *rtpLog) snapshot(m description.MediaType) ([]uint32, uint32) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]uint32(nil), l.ts[m]...), l.ssrc[m]
}

// steps checks that consecutive timestamps differ by step, except for one
// place that may differ by jumpStep when jumpStep != 0; it returns how many
// jumps it saw.
func steps(t *testing.T, what string, ts []uint32, step, jumpStep uint32) int {
	t.Helper()
	jumps := 0
	for i := 1; i < len(ts); i++ {
		switch d := ts[i] - ts[i-1]; {
		case d == step:
		case jumpStep != 0 && d == jumpStep:
			jumps++
		default:
			t.Fatalf("%s: timestamp step %d at sample %d of %d, want %d", what, int32(d), i, len(ts), step)
		}
	}
	return jumps
}

// The fixture loops (10 s) without a break in the timestamps, JumpTimestamps
// moves all tracks forward once, and a restart looks like a rebooted camera.
func TestTimestampsLoopJumpRestart(t *testing.T) {
	for _, tc := range []struct {
		fixture         string
		audioStep, rate uint32
	}{
		{"h264_pcma", g711Packet, g711Rate},
		{"h264_aac", aacAUSample, 16000},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			t.Parallel()
			testTimestamps(t, tc.fixture, tc.audioStep, tc.rate)
		})
	}
}

func testTimestamps(t *testing.T, fixture string, audioStep, audioRate uint32) {
	c := startCam(t, Options{Fixture: fixture})
	l, stop := readRTP(t, c.URL(), gortsplib.TransportTCP)
	defer stop()

	// Wait until more than one pass of the fixture has been received.
	deadline := time.Now().Add(90 * time.Second)
	for {
		v, _ := l.snapshot(description.MediaTypeVideo)
		if len(v) > fixtureFPS*10+10 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d video frames received", len(v))
		}
		time.Sleep(100 * time.Millisecond)
	}
	c.JumpTimestamps(time.Hour)
	time.Sleep(1500 * time.Millisecond)
	stop()

	v, vssrc := l.snapshot(description.MediaTypeVideo)
	a, assrc := l.snapshot(description.MediaTypeAudio)
	if n := steps(t, "video", v, frameTicks, frameTicks+3600*videoClock); n != 1 {
		t.Fatalf("video: %d jumps, want 1", n)
	}
	if n := steps(t, "audio", a, audioStep, audioStep+3600*audioRate); n != 1 {
		t.Fatalf("audio: %d jumps, want 1 (%d samples)", n, len(a))
	}

	if err := c.Restart(); err != nil {
		t.Fatal(err)
	}
	l2, stop2 := readRTP(t, c.URL(), gortsplib.TransportUDP)
	defer stop2()
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		v2, _ := l2.snapshot(description.MediaTypeVideo)
		a2, _ := l2.snapshot(description.MediaTypeAudio)
		if len(v2) > 5 && len(a2) > 20 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after restart: %d video, %d audio timestamps", len(v2), len(a2))
		}
	}
	stop2()
	v2, vssrc2 := l2.snapshot(description.MediaTypeVideo)
	_, assrc2 := l2.snapshot(description.MediaTypeAudio)
	if vssrc2 == vssrc || assrc2 == assrc {
		t.Errorf("SSRCs unchanged by restart: video %x, audio %x", vssrc, assrc)
	}
	// Fresh random base: the new timeline does not continue the old one
	// (a chance of a false failure of about 1 in 2^32/1e6).
	if d := v2[0] - v[len(v)-1]; d < 1e6 || d > 1<<32-1e6 {
		t.Errorf("restart continued the old timestamps: %d → %d", v[len(v)-1], v2[0])
	}
	steps(t, "video after restart (UDP)", v2, frameTicks, 0)
}

// A frozen camera keeps the connection and sends nothing; after the freeze
// the timestamps continue at the wall clock's pace, the frozen stretch
// missing (about 1 s of video here: 10 frames of 9000 ticks).
func TestFreeze(t *testing.T) {
	c := startCam(t, Options{Fixture: "h264"})
	l, stop := readRTP(t, c.URL(), gortsplib.TransportTCP)
	defer stop()
	waitFor := func(n int) []uint32 {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if ts, _ := l.snapshot(description.MediaTypeVideo); len(ts) >= n {
				return ts
			}
		}
		t.Fatalf("fewer than %d video samples", n)
		return nil
	}
	before := len(waitFor(5))
	c.Freeze(true)
	time.Sleep(100 * time.Millisecond) // a frame may have been on its way
	frozenAt := len(waitFor(before))
	sent := c.FramesSent()
	time.Sleep(time.Second)
	if ts, _ := l.snapshot(description.MediaTypeVideo); len(ts) != frozenAt || c.FramesSent() != sent {
		t.Fatalf("frozen camera sent %d samples (%d frames)", len(ts)-frozenAt, c.FramesSent()-sent)
	}
	c.Freeze(false)
	ts := waitFor(frozenAt + 2)
	if gap := ts[frozenAt] - ts[frozenAt-1]; gap < 9*frameTicks || gap > 20*frameTicks {
		t.Fatalf("timestamps stepped %d ticks over a 1.1 s freeze, want about %d", gap, 11*frameTicks)
	}
}
