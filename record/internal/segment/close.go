package segment

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"
)

// Close ends the segment. end gives, per track ID, the dts where the next
// segment starts, so the last sample's duration is exact and consecutive
// segments are gap-free; a track missing from end (or with an end not after
// its last sample) repeats its previous sample duration. Close writes the
// last fragment, patches the durations, fsyncs and renames to the closed
// name. With no sample written it removes the temp file and returns
// ErrEmpty. After a write error it leaves the temp file for Recover and
// returns that error.
func (w *Writer) Close(end map[int]int64) (Info, error) {
	if w.done {
		return Info{}, fmt.Errorf("segment: closed twice")
	}
	if w.err != nil {
		return Info{}, also(w.err, w.Abort())
	}
	w.endHeld(end)
	if err := w.flush(); err != nil {
		return Info{}, also(err, w.Abort())
	}
	w.done = true
	if w.seq == 1 {
		return Info{}, also(ErrEmpty, w.discard(nil))
	}
	ends := make(map[uint32]uint64, len(w.tracks))
	for _, t := range w.tracks {
		ends[uint32(t.ID)] = t.end
	}
	if err := w.layout.patch(w.f, ends); err != nil {
		return Info{}, also(err, closeFile(w.f))
	}
	first := w.tracks[0]
	info := Info{
		Start:    w.start,
		Duration: ticks(first.end, first.TimeScale),
		Size:     w.size,
	}
	name, err := publish(w.f, w.tmp, w.dir, w.scheme, w.base, w.name, func(name string) {
		if w.BeforePublish != nil {
			info.Path, info.Name = filepath.Join(w.dir, name), name
			w.BeforePublish(info)
		}
	})
	if err != nil {
		return Info{}, err
	}
	info.Path, info.Name = filepath.Join(w.dir, name), name
	return info, nil
}

// endHeld queues every track's held-back last sample with its duration:
// up to end[ID] when that follows it, else the previous sample's.
func (w *Writer) endHeld(end map[int]int64) {
	for _, t := range w.tracks {
		if !t.holding {
			continue
		}
		d := int64(t.lastDur)
		if e, ok := end[t.ID]; ok && e > t.heldDTS && e-t.heldDTS <= 1<<32-1 {
			d = e - t.heldDTS
		}
		if d == 0 {
			d = lonelyDuration(t.Track)
		}
		t.queue(uint32(d))
		t.holding = false
	}
}

// Abort closes the file without publishing it, leaving the temp file for
// Recover. Samples still queued are written first if the disk still works.
func (w *Writer) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	if w.err == nil {
		_ = w.flush() // best effort: a failure is kept in w.err, the file stays valid
	}
	return closeFile(w.f)
}

// Salvage aborts the segment and publishes what reached the disk, as
// Recover would after a restart: the temp file plays up to its last
// complete fragment. Only this writer's file is touched, so other segments
// still being written in the folder are safe whatever the filesystem's
// locking. kept is false when nothing playable was left (the file is gone).
func (w *Writer) Salvage() (info Info, kept bool, err error) {
	if err := w.Abort(); err != nil {
		return Info{}, false, err
	}
	return recoverOne(w.dir, w.scheme, w.tmp, w.name)
}

// discard closes and removes a temp file that holds nothing worth keeping
// (a failed start, or no sample written), adding any failure to cause.
func (w *Writer) discard(cause error) error {
	w.done = true
	err := closeFile(w.f)
	if rerr := os.Remove(w.tmp); rerr != nil {
		err = also(err, fmt.Errorf("segment: remove: %w", rerr))
	}
	return also(cause, err)
}

// also returns err with a clean-up failure added, and err itself (the
// same value, which callers may compare) when clean-up went well.
func also(err, cleanup error) error {
	if cleanup == nil {
		return err
	}
	if err == nil {
		return cleanup
	}
	return fmt.Errorf("%w (and %v)", err, cleanup)
}

// closeFile closes f with an error that names the step.
func closeFile(f *os.File) error {
	if err := f.Close(); err != nil {
		return fmt.Errorf("segment: close: %w", err)
	}
	return nil
}

// lonelyDuration is the duration of a track's only sample when nothing says
// how long it lasts: one AAC frame for AAC, else a 25 fps frame.
func lonelyDuration(t Track) int64 {
	if _, ok := t.Codec.(*fmp4.CodecMPEG4Audio); ok {
		return 1024
	}
	return max(int64(t.TimeScale)/25, 1)
}

// ticks converts a media time to a duration.
func ticks(v uint64, scale uint32) time.Duration {
	sec := v / uint64(scale)
	rest := v % uint64(scale)
	return time.Duration(sec)*time.Second + time.Duration(rest)*time.Second/time.Duration(scale)
}
