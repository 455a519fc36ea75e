package chaos

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// kind is one sort of fault.
type kind string

const (
	camRestart kind = "camera restart" // the camera stops serving, then comes back on the same address
	camFreeze  kind = "camera freeze"  // the camera keeps the connection and sends nothing
	remoteDown kind = "remote outage"  // the S3 server refuses connections
	kill9      kind = "kill -9"        // camshare SIGKILLed, started again a second later
	diskFull   kind = "disk full"      // a ballast file takes the free space below min_free
)

var kinds = []kind{camRestart, camFreeze, remoteDown, kill9, diskFull}

// chosen is kinds, or those whose name holds CHAOS_FAULTS (e.g. "kill",
// "camera"): to look at one fault at a time.
func chosen() []kind {
	only := os.Getenv("CHAOS_FAULTS")
	var out []kind
	for _, k := range kinds {
		if strings.Contains(string(k), only) {
			out = append(out, k)
		}
	}
	return out
}

// fault is one fault as it happened.
type fault struct {
	kind     kind
	cam      int // camera faults: which one
	run      int // kill -9: the camshare process started after it
	from, to time.Time
}

// wallNow is the time without its monotonic reading: the footage's times
// come from names (the wall clock), and the two must subtract alike.
func wallNow() time.Time { return time.Now().Round(0) }

// span is a stretch of wall-clock time.
type span struct{ from, to time.Time }

// timeline is the run as the harness made it happen.
type timeline struct {
	r           *rig
	rnd         *rand.Rand
	begin, end  time.Time
	faults      []fault
	leftLocally []string
}

func newTimeline(r *rig, seed uint64) *timeline {
	return &timeline{r: r, rnd: rand.New(rand.NewPCG(seed, 11))}
}

// slot is the time given to each fault: its longest (10 s), then the
// window that judges it (past the next segment boundary, and a margin).
const slot = 10*time.Second + segment + 6*time.Second

// play runs faults back to back, one slot each, as many as fit in secs
// after a warm-up (cameras connect, the first segments close): every kind
// once in a shuffled round before any repeats, so even a short run has
// each.
func (tl *timeline) play(secs time.Duration) {
	const warmup = 10 * time.Second
	time.Sleep(warmup)
	var bag []kind
	for n := int((secs - warmup) / slot); n > 0; n-- {
		if len(bag) == 0 {
			bag = append(bag, chosen()...)
			tl.rnd.Shuffle(len(bag), func(i, j int) { bag[i], bag[j] = bag[j], bag[i] })
		}
		k := bag[0]
		bag = bag[1:]
		started := time.Now()
		tl.inject(k)
		if rest := slot - time.Since(started); rest > 0 {
			time.Sleep(rest)
		}
	}
}

// between is a random duration in [lo, hi].
func (tl *timeline) between(lo, hi time.Duration) time.Duration {
	return lo + time.Duration(tl.rnd.Int64N(int64(hi-lo)+1))
}

func (tl *timeline) inject(k kind) {
	r := tl.r
	f := fault{kind: k, cam: -1, from: wallNow()}
	switch k {
	case camRestart:
		f.cam = tl.rnd.IntN(cameras)
		r.cams[f.cam].Stop()
		time.Sleep(tl.between(3*time.Second, 8*time.Second))
		if err := r.cams[f.cam].Restart(); err != nil {
			r.t.Fatal(err)
		}
	case camFreeze:
		f.cam = tl.rnd.IntN(cameras)
		r.cams[f.cam].Freeze(true)
		time.Sleep(tl.between(2*time.Second, 6*time.Second))
		r.cams[f.cam].Freeze(false)
	case remoteDown:
		r.s3.Stop()
		time.Sleep(tl.between(5*time.Second, 10*time.Second))
		r.s3.Start()
	case kill9:
		r.kill()
		time.Sleep(time.Second)
		r.start()
		f.run = r.runs
	case diskFull:
		tl.fillDisk(tl.between(6*time.Second, 9*time.Second))
	}
	f.to = wallNow()
	tl.faults = append(tl.faults, f)
	r.t.Logf("%6.1fs  %-14s %s  %.1f s", f.from.Sub(tl.begin).Seconds(), k, camLabel(f.cam), f.to.Sub(f.from).Seconds())
}

func camLabel(i int) string {
	if i < 0 {
		return "    "
	}
	return camName(i)
}

// fillDisk writes a ballast file leaving min_free/2 free, holds it for d,
// then deletes it. The remote stays up: camshare must ship, not delete.
func (tl *timeline) fillDisk(d time.Duration) {
	r := tl.r
	var st syscall.Statfs_t
	if err := syscall.Statfs(r.disk, &st); err != nil {
		r.t.Fatal(err)
	}
	free := int64(st.Bavail) * int64(st.Bsize)
	ballast := filepath.Join(r.disk, "ballast")
	if n := free - minFree/2; n > 0 {
		f, err := os.Create(ballast)
		if err != nil {
			r.t.Fatal(err)
		}
		chunk := make([]byte, 1<<20)
		for written := int64(0); written < n; written += int64(len(chunk)) {
			if _, err := f.Write(chunk[:min(int64(len(chunk)), n-written)]); err != nil {
				r.t.Fatalf("ballast: %v", err)
			}
		}
		if err := f.Close(); err != nil {
			r.t.Fatal(err)
		}
	}
	time.Sleep(d)
	if err := os.Remove(ballast); err != nil {
		r.t.Fatal(err)
	}
}

// downs is when camera i was not sending, by the harness's own doing.
func (tl *timeline) downs(i int) []span {
	var out []span
	for _, f := range tl.faults {
		if f.cam == i {
			out = append(out, span{f.from, f.to})
		}
	}
	return out
}
