// Package sidecar is the metadata file beside each segment (NAME.json
// beside NAME.mp4; layout.Sidecar names it): what a person searching the
// archive, prune and the share page want to know without opening the video.
// The recorder writes it when the segment closes, ship uploads it with the
// segment (sealed like it when the archive is encrypted), prune deletes it
// with it. A segment without one (an old archive, a recovered segment) has
// unknown activity, which every reader treats as "keep, show, ship".
package sidecar

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/camshare/camshare/internal/seal"
)

// Version is written into every sidecar; readers accept it and older.
const Version = 1

// Every is the span of one entry of Meta.Activity.
const Every = 10 * time.Second

// Meta is one segment's sidecar.
type Meta struct {
	Version  int       `json:"version"`
	Camera   string    `json:"camera,omitempty"`
	Segment  string    `json:"segment"` // the segment's file name when it was written
	Start    time.Time `json:"start"`
	Duration float64   `json:"duration_s"`
	Video    string    `json:"video"`           // "h264" or "h265"
	Audio    string    `json:"audio,omitempty"` // "aac", "opus", "mp3"; "" for none
	Size     int64     `json:"size"`            // bytes of the segment as recorded
	// Activity has one entry per Every from Start: how many of its seconds
	// were active (0–10), docs/activity.md says what that means.
	Activity []int `json:"activity_per_10s"`
	// ActiveSeconds is their sum; Peak the highest second score.
	ActiveSeconds int     `json:"active_s"`
	Peak          float64 `json:"peak"`
	// Events are the runs of active seconds (joined across gaps of up to
	// two seconds), in seconds from Start.
	Events []Event `json:"events,omitempty"`
}

// Event is one stretch of activity.
type Event struct {
	Kind string  `json:"kind"` // "activity"
	From float64 `json:"from_s"`
	To   float64 `json:"to_s"`
}

// Active says whether anything happened in the segment.
func (m *Meta) Active() bool { return m.ActiveSeconds > 0 }

// Second is one scored second, at its wall-clock start.
type Second struct {
	At     time.Time
	Score  float64
	Active bool
}

// Summarize fills the activity fields from a segment's scored seconds
// (those outside [Start, Start+Duration) are ignored).
func (m *Meta) Summarize(secs []Second) {
	n := int((time.Duration(m.Duration*float64(time.Second)) + Every - 1) / Every)
	m.Activity = make([]int, max(n, 0))
	m.ActiveSeconds, m.Peak, m.Events = 0, 0, nil
	const join = 2.0 // seconds of quiet that still belong to one event
	for _, s := range secs {
		off := s.At.Sub(m.Start).Seconds()
		if off < -0.5 || off >= m.Duration {
			continue
		}
		off = max(off, 0)
		m.Peak = max(m.Peak, float64(int(s.Score*100+0.5))/100)
		if !s.Active {
			continue
		}
		if i := int(off / Every.Seconds()); i < len(m.Activity) && m.Activity[i] < int(Every/time.Second) {
			m.Activity[i]++
		}
		m.ActiveSeconds++
		from, to := float64(int(off)), float64(int(off))+1
		if k := len(m.Events) - 1; k >= 0 && from-m.Events[k].To <= join {
			m.Events[k].To = to
		} else {
			m.Events = append(m.Events, Event{Kind: "activity", From: from, To: min(to, m.Duration)})
		}
	}
}

// Marshal is the file's bytes.
func (m *Meta) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// WriteFile writes the sidecar at path crash-safely: a temp file, fsync,
// rename, so a NAME.json in the folder is always complete.
func (m *Meta) WriteFile(path string) error {
	b, err := m.Marshal()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".sidecar-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(b)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("sidecar: %w", err)
	}
	return nil
}

// ErrSealed: the sidecar is encrypted and no archive key was given.
var ErrSealed = errors.New("sidecar is encrypted (the archive key is needed to read it)")

// maxSize bounds what Read takes: a day-long segment's sidecar is ~40 kB.
const maxSize = 1 << 20

// Read parses a sidecar, plain or sealed (opened with key when it is; nil
// key: ErrSealed).
func Read(r io.Reader, key *seal.Key) (*Meta, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxSize))
	if err != nil {
		return nil, err
	}
	if seal.IsSealed(b) {
		if key == nil {
			return nil, ErrSealed
		}
		plain, err := seal.Decrypt(bytes.NewReader(b), *key)
		if err == nil {
			b, err = io.ReadAll(io.LimitReader(plain, maxSize))
		}
		if err != nil {
			return nil, fmt.Errorf("sidecar: %w", err)
		}
	}
	var m Meta
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("sidecar: %w", err)
	}
	if m.Version < 1 || m.Version > Version {
		return nil, fmt.Errorf("sidecar: version %d not understood", m.Version)
	}
	return &m, nil
}
