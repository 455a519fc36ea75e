package timelapse

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// Source is one segment's bytes, read by range (a local file or a remote
// object opened with a range: rclone asks the backend for just those bytes
// where it can).
type Source interface {
	Size() int64
	ReadAt(off, n int64) ([]byte, error)
}

// Segment is one recorded segment of the day, in time order.
type Segment struct {
	Name  string
	Start time.Time
	Src   Source
}

// Frame is one key frame kept: its wall time and its sample bytes
// (length-prefixed NAL units, parameter sets in front as recorded).
type Frame struct {
	At      time.Time
	Payload []byte
}

// Result is what Collect found.
type Result struct {
	Frames []Frame
	H265   bool
	Reads  int   // ranged reads made
	Bytes  int64 // bytes read
	Total  int64 // bytes of the segments: what reading them whole would take
}

const (
	headRead = 16 << 10 // the init (ftyp+moov) usually fits in this
	hopRead  = 8 << 10  // the next fragment's moof, walking forward
)

// collector walks segments for Collect.
type collector struct {
	every time.Duration
	next  time.Time // the next moment wanted
	rate  float64   // bytes per second of media, measured so far (0: not yet)
	res   Result
	// The last bytes read from the current segment: a read inside them is
	// served from memory.
	cache   []byte
	cacheAt int64
}

// Collect keeps, for every moment every apart from the first segment's
// start, the first key frame at or after it (none when that is already a
// moment later).
func Collect(segs []Segment, every time.Duration) (*Result, error) {
	if every <= 0 {
		return nil, errors.New("timelapse: the interval must be positive")
	}
	c := &collector{every: every}
	for i, s := range segs {
		if i == 0 {
			c.next = s.Start
		}
		c.res.Total += s.Src.Size()
		if err := c.segment(s); err != nil {
			return nil, fmt.Errorf("%s: %w", s.Name, err)
		}
	}
	return &c.res, nil
}

func (c *collector) read(src Source, off, n int64) ([]byte, error) {
	if off < 0 {
		off = 0
	}
	n = min(n, src.Size()-off)
	if n <= 0 {
		return nil, nil
	}
	if off >= c.cacheAt && off+n <= c.cacheAt+int64(len(c.cache)) {
		return c.cache[off-c.cacheAt : off-c.cacheAt+n], nil
	}
	b, err := src.ReadAt(off, n)
	c.res.Reads++
	c.res.Bytes += int64(len(b))
	if err == nil {
		c.cache, c.cacheAt = b, off
	}
	return b, err
}

// segment takes the key frames wanted from one segment.
func (c *collector) segment(s Segment) error {
	c.cache = nil
	head, err := c.read(s.Src, 0, headRead)
	if err != nil {
		return err
	}
	var moov []byte
	firstFrag := int64(-1)
	for _, b := range boxes(head) {
		if b.typ == "moov" {
			if b.end > len(head) {
				if head, err = c.read(s.Src, 0, int64(b.end)); err != nil {
					return err
				}
			}
			moov = head[b.start:b.end]
			firstFrag = int64(b.end)
			break
		}
	}
	if moov == nil {
		return errors.New("no moov box at the start (not a camshare segment?)")
	}
	tr, err := videoTrack(moov)
	if err != nil {
		return err
	}
	c.res.H265 = c.res.H265 || tr.h265
	for {
		target := c.next.Sub(s.Start)
		smp, at, ok, err := c.keyAfter(s, tr, firstFrag, max(target, 0))
		if err != nil || !ok {
			return err
		}
		for !at.Before(c.next.Add(c.every)) {
			c.next = c.next.Add(c.every) // moments with no key frame of their own
		}
		payload, err := c.read(s.Src, smp.offset, int64(smp.size))
		if err != nil {
			return err
		}
		c.res.Frames = append(c.res.Frames, Frame{At: at, Payload: withParams(payload, tr.params, tr.h265)})
		c.next = c.next.Add(c.every)
	}
}

// keyAfter finds the first key frame at or after media time target: it
// jumps to where the bytes per second so far put that time (a little
// before), finds a fragment there, and walks forward fragment by fragment.
func (c *collector) keyAfter(s Segment, tr track, firstFrag int64, target time.Duration) (sample, time.Time, bool, error) {
	off := firstFrag
	var win []byte
	winAt := int64(0)
	jumped := false
	if c.rate > 0 && target > 2*time.Second {
		// A window of 1.5 s of bytes holds a fragment's start (fragments
		// are a second long), landing a second early at most.
		est := firstFrag + int64(c.rate*(target-time.Second).Seconds())
		window := min(max(int64(c.rate*1.5), 8<<10), 1<<20)
		if est < s.Src.Size() {
			b, err := c.read(s.Src, est, window)
			if err != nil {
				return sample{}, time.Time{}, false, err
			}
			if i, ok := findMoof(b, 0); ok {
				off, win, winAt, jumped = est+int64(i), b, est, true
			}
		}
	}
	for off+8 <= s.Src.Size() {
		moof, mdatEnd, err := c.fragmentAt(s.Src, off, win, winAt)
		if errors.Is(err, errLastFragment) {
			break
		}
		if err != nil {
			return sample{}, time.Time{}, false, err
		}
		if moof == nil { // a box between fragments
			off = mdatEnd
			continue
		}
		samples, err := fragment(moof, off, tr)
		if err != nil {
			return sample{}, time.Time{}, false, err
		}
		if len(samples) > 0 {
			first := ticks(samples[0].dts, tr.timescale)
			if jumped && first > target {
				// The jump overshot: walk from the beginning instead.
				off, win, jumped = firstFrag, nil, false
				continue
			}
			c.learnRate(firstFrag, off, first)
		}
		jumped = false
		for _, smp := range samples {
			if t := ticks(smp.dts, tr.timescale); smp.sync && t >= target {
				return smp, s.Start.Add(t), true, nil
			}
		}
		off = mdatEnd
	}
	return sample{}, time.Time{}, false, nil
}

// learnRate keeps the bytes per second of media up to a fragment.
func (c *collector) learnRate(firstFrag, off int64, at time.Duration) {
	if at > time.Second {
		c.rate = float64(off-firstFrag) / at.Seconds()
	}
}

// errLastFragment: the file's fragments end at this offset.
var errLastFragment = errors.New("no more fragments")

// fragmentAt reads the moof at off (from win when it holds it) and returns
// it with the offset where its mdat ends (the next fragment). A box that
// may sit between fragments gives no moof and the offset after it.
func (c *collector) fragmentAt(src Source, off int64, win []byte, winAt int64) ([]byte, int64, error) {
	var b []byte
	if win != nil && off >= winAt && off+hopRead <= winAt+int64(len(win)) {
		b = win[off-winAt:]
	} else {
		var err error
		if b, err = c.read(src, off, hopRead); err != nil {
			return nil, 0, err
		}
	}
	bs := boxes(b)
	if len(bs) == 0 {
		return nil, 0, fmt.Errorf("no fragment at byte %d", off)
	}
	switch bs[0].typ {
	case "moof":
	case "mfra": // the random-access index ffmpeg ends a fragmented file with
		return nil, 0, errLastFragment
	case "styp", "sidx", "free", "skip", "prft", "emsg": // boxes a fragmented file may hold between fragments
		return nil, off + int64(bs[0].size), nil
	default:
		return nil, 0, fmt.Errorf("no fragment at byte %d", off)
	}
	m := bs[0]
	if m.end+8 > len(b) {
		var err error
		if b, err = c.read(src, off, int64(m.end+16)); err != nil {
			return nil, 0, err
		}
	}
	if m.end+8 > len(b) || string(b[m.end+4:m.end+8]) != "mdat" {
		return nil, 0, fmt.Errorf("fragment at byte %d has no mdat after it", off)
	}
	mdat := int64(binary.BigEndian.Uint32(b[m.end:]))
	return b[m.start:m.end], off + int64(m.size) + mdat, nil
}

func ticks(v uint64, scale uint32) time.Duration {
	return time.Duration(v/uint64(scale))*time.Second + time.Duration(v%uint64(scale))*time.Second/time.Duration(scale)
}
