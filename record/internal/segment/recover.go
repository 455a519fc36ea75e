package segment

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/camshare/camshare/internal/layout"
)

// Recover makes the segments a crash left in dir valid and publishes them:
// for every temp file that is ours (scheme.FromTemp) and not being written
// (its Writer, in this process or another, holds the file's lock), it cuts off a torn last fragment, patches the durations,
// fsyncs and renames it to its closed name (with a suffix if that is taken).
// A temp file without one complete fragment holds nothing playable and is
// removed. It returns the recovered segments; a file it cannot handle is
// left alone and reported in the (one-line) error after the others are done.
func Recover(dir string, scheme *layout.Scheme) ([]Info, error) {
	r, err := RecoverAll(dir, scheme)
	return r.Segments, err
}

// Recovered is what RecoverAll did in a folder.
type Recovered struct {
	Segments []Info   // published
	Removed  []string // temp files (base names) with nothing playable, deleted
}

// RecoverAll is Recover, also naming the temp files it removed, so the
// caller can say so: footage that goes must leave a line in the log.
func RecoverAll(dir string, scheme *layout.Scheme) (Recovered, error) {
	var r Recovered
	entries, err := os.ReadDir(dir)
	if err != nil {
		return r, fmt.Errorf("segment: recover: %w", err)
	}
	var firstErr error
	failed := 0
	for _, e := range entries {
		name, ok := scheme.FromTemp(e.Name())
		if !ok || !e.Type().IsRegular() {
			continue
		}
		info, kept, err := recoverOne(dir, scheme, filepath.Join(dir, e.Name()), name)
		if errors.Is(err, errBusy) {
			continue
		}
		if err != nil {
			failed++
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if kept {
			r.Segments = append(r.Segments, info)
		} else {
			r.Removed = append(r.Removed, e.Name())
		}
	}
	if failed > 1 {
		return r, fmt.Errorf("%w (and %d more)", firstErr, failed-1)
	}
	return r, firstErr
}

// errBusy: another Writer (in this or another process) holds the file.
var errBusy = errors.New("segment: temp file in use")

// recoverOne recovers one temp file; kept is false if it was removed.
func recoverOne(dir string, scheme *layout.Scheme, tmp, name string) (Info, bool, error) {
	f, err := os.OpenFile(tmp, os.O_RDWR, 0)
	if err != nil {
		return Info{}, false, fmt.Errorf("segment: recover: %w", err)
	}
	if err := lock(f); err != nil {
		return Info{}, false, also(err, closeFile(f))
	}
	end, ok, err := repair(f, tmp)
	if err != nil {
		return Info{}, false, also(err, closeFile(f))
	}
	if !ok {
		// No moov or no complete fragment: nothing a player could show.
		if err := closeFile(f); err != nil {
			return Info{}, false, err
		}
		if err := os.Remove(tmp); err != nil {
			return Info{}, false, fmt.Errorf("segment: recover: %w", err)
		}
		return Info{}, false, nil
	}
	final, err := publish(f, tmp, dir, scheme, name, name, nil)
	if err != nil {
		return Info{}, false, err
	}
	start, _ := scheme.Time(final)
	return Info{
		Path:     filepath.Join(dir, final),
		Name:     final,
		Start:    start,
		Duration: end.duration,
		Size:     end.size,
	}, true, nil
}

// repaired is what a repaired temp file holds.
type repaired struct {
	duration time.Duration // of the first track
	size     int64
}

// repair cuts a torn tail off f and patches its durations in place; ok is
// false when it holds no complete fragment (nothing to keep).
func repair(f *os.File, tmp string) (repaired, bool, error) {
	st, err := f.Stat()
	if err != nil {
		return repaired{}, false, fmt.Errorf("segment: recover: %w", err)
	}
	s, err := scan(f, st.Size())
	if errors.Is(err, errNothing) {
		return repaired{}, false, nil
	}
	if err != nil {
		return repaired{}, false, fmt.Errorf("segment: recover %s: %w", filepath.Base(tmp), err)
	}
	if s.fragments == 0 {
		return repaired{}, false, nil
	}
	if s.end < st.Size() {
		if err := f.Truncate(s.end); err != nil {
			return repaired{}, false, fmt.Errorf("segment: recover %s: %w", filepath.Base(tmp), err)
		}
	}
	moov, _ := nextBox(s.moov.moov, 0)
	tagHvc1(s.moov.moov, moov)
	if err := s.moov.patch(f, s.ends); err != nil {
		return repaired{}, false, err
	}
	first := s.moov.tracks[0]
	return repaired{duration: ticks(s.ends[first.id], first.scale), size: s.end}, true, nil
}
