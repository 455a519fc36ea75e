// Package segment writes one recorded segment as a crash-safe fragmented MP4
// and recovers the ones a crash left behind.
//
// A segment is written as DIR/STEM.tmp (layout's temp name): ftyp+moov first,
// then one moof+mdat fragment per second of media, each written as
// soon as it is complete, so a killed process loses at most that much. Close
// patches the true durations into the moov, fsyncs, renames to the closed
// name and fsyncs the folder: a *.mp4 in the folder is always complete.
//
// The init (ftyp+moov, sample entries) is mediacommon's fmp4.Init, amended
// (init.go: an mehd to patch the duration in place, hvc1 for Apple, the
// creation time). Fragments are written here instead of with mediacommon's
// fmp4.Part, measured (BenchmarkFragment, one second of a 640x360 15 fps
// camera with AAC): 1.3 µs and no allocation per fragment here, 230 µs,
// 269 kB and 1,569 allocations with Part.Marshal (a box library working by
// reflection, an mdat copied together, seeks to fix offsets). That would
// roughly double the recorder's garbage per second of video (and so its
// GC cycles) for one write per fragment either way; the fragment code is
// 116 lines, and the crash recovery (scan.go) has to read the same boxes
// anyway.
package segment

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"
	"github.com/camshare/camshare/internal/layout"
)

// fragmentDuration is how much media (of the first track) a fragment holds:
// the most a crash can lose.
const fragmentDuration = time.Second

// ErrEmpty is returned by Close when no sample was written: there is nothing
// playable, so the temp file is removed and no segment is published.
var ErrEmpty = errors.New("segment: no samples written")

// Track describes one track of a segment.
type Track struct {
	ID        int        // 1-based fMP4 track ID
	TimeScale uint32     // 90000 for video, the sample rate for audio
	Codec     fmp4.Codec // e.g. &fmp4.CodecH264{SPS, PPS}, &fmp4.CodecH265{VPS, SPS, PPS}, &fmp4.CodecMPEG4Audio{Config}
}

// Info describes a closed (or recovered) segment.
type Info struct {
	Path     string        // final path of the closed .mp4
	Name     string        // its base name
	Start    time.Time     // wall-clock time of the first frame (what the name was made from)
	Duration time.Duration // media duration of the first (video) track
	Size     int64
}

// Writer writes one segment. It is not safe for concurrent use.
type Writer struct {
	// BeforePublish, if set, is called by Close with the segment's final
	// Info just before the rename that publishes it: a file it writes beside
	// the segment (its sidecar) is in the folder before the segment is, so
	// whatever picks up closed segments finds it.
	BeforePublish func(Info)

	f      *os.File
	tmp    string // path of the temp file
	dir    string
	scheme *layout.Scheme
	base   string // scheme.Name(start), before any collision suffix
	name   string // the closed name it was created for
	start  time.Time
	layout *moovLayout
	tracks []*trackState
	frag   []int64 // fragmentDuration in each track's time scale
	seq    uint32
	size   int64 // bytes of complete boxes on disk
	runs   []run
	buf    []byte // fragment buffer, reused
	err    error  // first write error; the writer is dead after it
	origin bool   // time zero fixed by the first track's first sample
	done   bool
}

// trackState is the per-track sample queue.
type trackState struct {
	Track
	zero     int64    // dts that is media time 0 in this segment
	held     sample   // newest sample: its duration needs the next dts
	heldDTS  int64    //
	holding  bool     //
	lastDur  uint32   // duration of the previous sample, for the last one
	queued   []sample // samples with durations, for the next fragment
	queueAt  uint64   // media time of queued[0]
	queueDur uint64   // total duration of queued
	end      uint64   // media time where the written samples end
}

// Create opens DIR/TempName(NAME) with NAME = scheme.Name(start), or the
// first scheme.Unique(NAME, n) whose closed and temp names are both free,
// and writes the init (ftyp+moov). H.264 needs SPS/PPS and H.265 VPS/SPS/PPS
// in the codec: mediacommon refuses to write an init without them.
func Create(dir string, scheme *layout.Scheme, start time.Time, tracks []*Track) (*Writer, error) {
	if len(tracks) == 0 {
		return nil, fmt.Errorf("segment: no tracks")
	}
	seen := map[int]bool{}
	for _, t := range tracks {
		if t == nil || t.ID < 1 || t.TimeScale == 0 || t.Codec == nil || seen[t.ID] {
			return nil, fmt.Errorf("segment: bad track list (IDs must be unique and ≥ 1, time scale and codec set)")
		}
		seen[t.ID] = true
	}
	init, err := buildInit(tracks, start)
	if err != nil {
		return nil, err
	}
	moov, _ := findMoov(init)
	lay, err := parseMoov(init[moov.start:moov.end], int64(moov.start))
	if err != nil {
		return nil, err
	}
	base := scheme.Name(start)
	f, name, err := createTemp(dir, scheme, base)
	if err != nil {
		return nil, err
	}
	w := &Writer{f: f, dir: dir, scheme: scheme, base: base, name: name, start: start,
		layout: lay, seq: 1, runs: make([]run, 0, len(tracks))}
	for _, t := range tracks {
		w.tracks = append(w.tracks, &trackState{Track: *t})
		w.frag = append(w.frag, int64(fragmentDuration)*int64(t.TimeScale)/int64(time.Second))
	}
	w.tmp = f.Name()
	if err := lock(f); err != nil {
		// Just created with O_EXCL, so nobody can hold it: the lock call
		// itself failed, and a segment Recover cannot tell live is unsafe.
		return nil, w.discard(fmt.Errorf("segment: lock: %w", err))
	}
	if _, err := f.Write(init); err != nil {
		return nil, w.discard(fmt.Errorf("segment: write init: %w", err))
	}
	w.size = int64(len(init))
	return w, nil
}

// Name is the closed base name the segment will get (Close may still add a
// suffix if another file took it meanwhile; Info.Name is authoritative).
func (w *Writer) Name() string { return w.name }

// Write adds one sample of a track at dts, in the track's time scale. dts
// must increase per track, and all tracks count from one common origin (dts
// divided by the time scale is the same clock for every track). The first
// sample of the first track (the video keyframe that starts the segment) is
// the segment's time zero: samples of other tracks written before it, or
// with an earlier time, are dropped (they belong to the previous segment).
// A sample's duration is the distance to the next sample's dts, so each
// track holds one sample back.
//
// The Payload slice is retained (not copied) until its fragment is written;
// the caller must not modify it afterwards. A non-increasing dts is refused
// with an error and the writer stays usable; a disk error is returned by
// this and every later call, and leaves the temp file recoverable.
func (w *Writer) Write(trackID int, dts int64, s *fmp4.Sample) error {
	return w.add(trackID, dts, sample{Sample: *s})
}

// WriteNALUs is Write for a video access unit given as its NAL units,
// which the fragment prefixes with their lengths (AVCC) as it is built:
// no sample buffer is made. ptsOffset is PTS minus DTS in the track's
// time scale. The slices are retained like Write's Payload.
func (w *Writer) WriteNALUs(trackID int, dts int64, nalus [][]byte, ptsOffset int32, key bool) error {
	if nalus == nil {
		nalus = [][]byte{}
	}
	return w.add(trackID, dts, sample{Sample: fmp4.Sample{PTSOffset: ptsOffset, IsNonSyncSample: !key}, nalus: nalus})
}

// add is Write and WriteNALUs.
func (w *Writer) add(trackID int, dts int64, s sample) error {
	if w.err != nil {
		return w.err
	}
	if w.done {
		return fmt.Errorf("segment: write after close")
	}
	i := w.track(trackID)
	if i < 0 {
		return fmt.Errorf("segment: unknown track %d", trackID)
	}
	t := w.tracks[i]
	if !w.origin {
		if i > 0 {
			return nil
		}
		w.setOrigin(t, dts)
	}
	if dts < t.zero {
		return nil
	}
	if t.holding {
		d := dts - t.heldDTS
		if d <= 0 || d > 1<<32-1 {
			return fmt.Errorf("segment: track %d: dts %d after %d is not a valid step", trackID, dts, t.heldDTS)
		}
		t.queue(uint32(d))
	}
	t.held, t.heldDTS, t.holding = s, dts, true
	if w.due() {
		return w.flush()
	}
	return nil
}

func (w *Writer) track(id int) int {
	for i, t := range w.tracks {
		if t.ID == id {
			return i
		}
	}
	return -1
}

// setOrigin makes dts of track t media time 0 and converts that instant to
// every other track's time scale.
func (w *Writer) setOrigin(t *trackState, dts int64) {
	for _, o := range w.tracks {
		o.zero = dts * int64(o.TimeScale) / int64(t.TimeScale)
	}
	w.origin = true
}

// queue gives the held sample its duration and queues it for a fragment.
func (t *trackState) queue(d uint32) {
	if len(t.queued) == 0 {
		t.queueAt = uint64(t.heldDTS - t.zero)
	}
	t.held.Duration = d
	t.queued = append(t.queued, t.held)
	t.queueDur += uint64(d)
	t.lastDur = d
	t.held = sample{}
}

// due: the first track holds a fragment's worth, or any track twice that
// (a stalled video track must not make audio pile up unwritten).
func (w *Writer) due() bool {
	for i, t := range w.tracks {
		limit := w.frag[i]
		if i > 0 {
			limit *= 2
		}
		if len(t.queued) > 0 && int64(t.queueDur) >= limit {
			return true
		}
	}
	return false
}

// flush writes every queued sample as one fragment in one write.
func (w *Writer) flush() error {
	w.runs = w.runs[:0]
	for _, t := range w.tracks {
		if len(t.queued) > 0 {
			w.runs = append(w.runs, newRun(uint32(t.ID), t.queueAt, t.queued))
		}
	}
	if len(w.runs) == 0 {
		return nil
	}
	w.buf = appendFragment(w.buf[:0], w.seq, w.runs)
	if _, err := w.f.Write(w.buf); err != nil {
		// Cut the torn fragment off so the file stays valid as written;
		// Recover would do the same if this fails too.
		w.err = fmt.Errorf("segment: %w", err)
		if terr := w.f.Truncate(w.size); terr != nil {
			w.err = fmt.Errorf("segment: %w (and cutting off the torn fragment: %v)", err, terr)
		}
		return w.err
	}
	w.size += int64(len(w.buf))
	w.seq++
	for _, t := range w.tracks {
		if len(t.queued) > 0 {
			t.end = t.queueAt + t.queueDur
		}
		clear(t.queued) // drop payload references for the collector
		t.queued, t.queueDur = t.queued[:0], 0
	}
	clear(w.runs)
	return nil
}
