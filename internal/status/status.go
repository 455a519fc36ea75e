// Package status is the small state file `camshare run` keeps up to date and
// `camshare status` reads: is each camera streaming, is footage leaving the
// phone, is pruning happening, is the disk filling. It is written atomically
// (temp file + rename) so a reader never sees half a file, and it is small
// enough to rewrite every few seconds on a phone.
package status

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// State is the whole file.
type State struct {
	Updated time.Time `json:"updated"` // a stale file means run is not running
	Started time.Time `json:"started"`
	Stopped time.Time `json:"stopped,omitzero"` // set by a clean shutdown
	PID     int       `json:"pid"`
	Version string    `json:"version,omitempty"`
	Config  string    `json:"config,omitempty"`
	// Interval is how often run rewrites the file; status calls a file
	// stale after a few of these.
	Interval Duration `json:"interval"`
	// Segment is the longest segment length: a queued segment's start is
	// that much older than its closing, which the queue check allows for.
	Segment Duration `json:"segment"`
	Cameras []Camera `json:"cameras"`
	Ship    Ship     `json:"ship"`
	Prune   Prune    `json:"prune"`
	Disk    Disk     `json:"disk"`
}

// Camera is one recorder.
type Camera struct {
	Name       string    `json:"name"`
	Connected  bool      `json:"connected"`
	Since      time.Time `json:"since"` // connected since, or down since
	Reconnects int       `json:"reconnects"`
	// Segment is the last closed segment.
	LastSegment     string    `json:"last_segment,omitempty"`
	LastSegmentSize int64     `json:"last_segment_size,omitempty"`
	LastSegmentAt   time.Time `json:"last_segment_at,omitzero"`
	LastError       string    `json:"last_error,omitempty"` // redacted
	LastErrorAt     time.Time `json:"last_error_at,omitzero"`
	Stopped         bool      `json:"stopped,omitempty"`       // gave up: permanent error (bad URL, 401, codec)
	Page            string    `json:"page,omitempty"`          // the live page's address, for family
	AudioDropped    int64     `json:"audio_dropped,omitempty"` // audio packets the recorder could not keep (this connection)
	Live            *Live     `json:"live,omitempty"`          // the near-live view (S3 remotes)
}

// Live is one camera's near-live view.
type Live struct {
	Watched  bool      `json:"watched"`            // a page's heartbeat is fresh: parts are uploading
	Delay    Duration  `json:"delay"`              // last part: its newest frame to its listing on the remote
	LastPart time.Time `json:"last_part,omitzero"` // when the last part was listed
	Dropped  int       `json:"dropped"`            // parts dropped (slow uplink, or yielding to segments)
}

// Ship is the one shipper's queue.
type Ship struct {
	Queued         int       `json:"queued"`
	QueuedBytes    int64     `json:"queued_bytes"`
	Oldest         time.Time `json:"oldest,omitzero"` // start of the oldest queued segment
	OldestFile     string    `json:"oldest_file,omitempty"`
	LastUpload     time.Time `json:"last_upload,omitzero"`
	LastUploadFile string    `json:"last_upload_file,omitempty"`
	Shipped        int       `json:"shipped"`
	Failed         int       `json:"failed"`
	Dropped        int       `json:"dropped"`               // deleted unshipped (only while the remote fails)
	DropReason     string    `json:"drop_reason,omitempty"` // why the last one was
	Outage         bool      `json:"outage"`
	LastError      string    `json:"last_error,omitempty"`
}

// Prune is the last pruning pass.
type Prune struct {
	Last    time.Time `json:"last,omitzero"`
	Deleted int       `json:"deleted"`
	Freed   int64     `json:"freed"`
	Error   string    `json:"error,omitempty"`
}

// Disk is the local recordings folder's file system.
type Disk struct {
	Path  string `json:"path"`
	Free  int64  `json:"free"`
	Total int64  `json:"total"`
}

// Duration marshals as "5s", for people reading the file.
type Duration time.Duration

func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	*d = Duration(v)
	return err
}

// Write replaces path with s atomically.
func Write(path string, s State) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".status-*.tmp")
	if err != nil {
		return err
	}
	_, err = tmp.Write(append(b, '\n'))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// ErrNeverRun: there is no state file.
var ErrNeverRun = errors.New("camshare run has not run here (or uses another dir)")

// Read loads a state file.
func Read(path string) (State, error) {
	var s State
	b, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return s, fmt.Errorf("no state file %q: %w", path, ErrNeverRun)
		}
		return s, err
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return s, fmt.Errorf("state file %q: %v", path, err)
	}
	return s, nil
}
