// Package record turns one RTSP camera into clock-aligned, crash-safe MP4
// segments in a folder. Video is copied as sent (H.264 or H.265); G.711
// audio, which no browser plays, becomes AAC-LC; AAC passes through.
//
// The pieces, one concern each:
//
//	conn.go      the gortsplib client: connect, pick tracks, hand over packets
//	coalesce.go  fewer wake-ups: the camera is read, and segments written, in
//	             one-second gulps (CPU on small boards is mostly wake-ups);
//	             lowwater_*.go keeps the socket quiet between gulps
//	video.go     access units → samples: parameter sets, keyframes, DTS
//	audio.go     audio tracks: AAC passthrough, the G.711 worker
//	cutter.go    the segmenter: wall-clock boundaries, gap-free cuts, resyncs
//	clock.go     stream time → wall clock, boundary alignment
//	backoff.go   reconnect pacing
//	errors.go    which failures are permanent, and redaction
package record

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/redact"
	"github.com/camshare/camshare/record/internal/segment"
)

// Options configure one recorder.
type Options struct {
	URL       string         // rtsp://[user[:pass]@]host[:port]/path
	Password  string         // overrides the URL's password (from --password-file / CAMSHARE_RTSP_PASSWORD)
	Dir       string         // where segments go (created if missing)
	Segment   time.Duration  // default 5m; whole seconds from 1s to MaxSegment
	Scheme    *layout.Scheme // names; nil = layout.Default()
	Transport string         // "tcp" (default) | "udp" | "auto"
	Audio     string         // "auto" (default) | "none"
	Log       *slog.Logger
	Events    func(Event) // optional, called synchronously (one call at a time) but must be cheap: status/supervisor hooks

	Camera     string // camera name, written into sidecars
	NoActivity bool   // no activity scoring and no sidecar (NAME.json) beside each segment (activity.go)
	// TimelapseEvery is how often a key frame goes into the day's timelapse
	// (daily.go); 0 = none. The command and the config default to
	// DefaultTimelapseEvery.
	TimelapseEvery time.Duration

	wallShift time.Duration // tests: added to every arrival time (a midnight a few seconds away)
}

// EventKind says what happened.
type EventKind int

const (
	// Connected: the camera is streaming (first time or after a loss).
	Connected EventKind = iota + 1
	// Disconnected: the camera was lost (Err says why); reconnects follow.
	Disconnected
	// SegmentClosed: a segment was closed and renamed to its final name.
	SegmentClosed
	// Recovered: a leftover temp file from an earlier run was made valid.
	Recovered
	// AudioDropped: audio was dropped because transcoding fell far behind
	// (Dropped counts the packets of this connection so far).
	AudioDropped
)

func (k EventKind) String() string {
	switch k {
	case Connected:
		return "connected"
	case Disconnected:
		return "disconnected"
	case SegmentClosed:
		return "segment-closed"
	case Recovered:
		return "recovered"
	case AudioDropped:
		return "audio-dropped"
	}
	return fmt.Sprintf("event(%d)", int(k))
}

// Event is one thing a supervisor or status page may want to know.
type Event struct {
	Kind    EventKind
	Time    time.Time
	Segment *segment.Info // for SegmentClosed/Recovered
	Err     error         // for Disconnected (redacted)
	Dropped int64         // for AudioDropped
}

// DefaultSegment is the segment length when Options.Segment is zero.
const DefaultSegment = 5 * time.Minute

// config is Options checked and completed.
type config struct {
	Options
	url         *url.URL // with the effective password
	user        string
	password    string
	audioWarned bool         // the unsupported-audio warning was given
	activity    *activityLog // per camera, across connections; nil with NoActivity
	timelapse   *dailyLapse  // per camera, across connections; nil when off
}

// secrets are the strings no log line or error may contain: the password
// and credentials some cameras take in the query (?user=…&password=…).
func (c *config) secrets() []string {
	return append([]string{c.password}, queryCredentials(c.url)...)
}

// redactErr strips credentials from any error text (gortsplib's errors
// may quote the URL).
func (c *config) redactErr(err error) error {
	if err == nil {
		return nil
	}
	return redact.Error(err, c.secrets()...)
}

// safeURL is the camera URL as it may be printed.
func (c *config) safeURL() string {
	return redact.Secrets(redact.URL(c.url.String()), queryCredentials(c.url)...)
}

// MaxSegment is the longest segment. A segment is shipped only once it is
// closed, so its length is how long footage stays on the phone or board
// (where a thief or a fire takes it) before it can leave: an hour at most.
// An hour also divides the day, so every cut falls on the clock.
const MaxSegment = time.Hour

// CheckSegment is the rule for a segment length, however it is given
// (--segment, the config file): whole seconds, as file names and the
// clock-aligned cuts count them, from 1s to MaxSegment.
func CheckSegment(d time.Duration) error {
	switch {
	case d < time.Second:
		return fmt.Errorf("segment length %v is too short (minimum 1s)", d)
	case d > MaxSegment:
		return fmt.Errorf("segment length %v is too long (at most %v: footage is shipped only once its segment closes)", d, MaxSegment)
	case d%time.Second != 0:
		return fmt.Errorf("segment length %v is not a whole number of seconds", d)
	}
	return nil
}

// CheckOptions says what is wrong with options as given (bad usage), before
// anything touches the network or the disk. Run checks the same.
func CheckOptions(o Options) error {
	_, err := check(o)
	return err
}

func check(o Options) (*config, error) {
	c := &config{Options: o}
	if c.Segment == 0 {
		c.Segment = DefaultSegment
	}
	if err := CheckSegment(c.Segment); err != nil {
		return nil, err
	}
	if c.Scheme == nil {
		c.Scheme = layout.Default()
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	var err error
	if c.Transport, err = choice("transport", c.Transport, "tcp", "udp", "auto"); err != nil {
		return nil, err
	}
	if c.Audio, err = choice("audio", c.Audio, "auto", "none"); err != nil {
		return nil, err
	}
	if c.Dir == "" {
		return nil, errors.New("no folder to record into")
	}
	if c.URL == "" {
		return nil, errors.New("no camera URL (want rtsp://[user:pass@]host[:port]/path)")
	}
	return c, nil
}

// choice is v if it is one of choices, the first choice if v is empty.
func choice(what, v string, choices ...string) (string, error) {
	if v == "" {
		return choices[0], nil
	}
	if slices.Contains(choices, v) {
		return v, nil
	}
	return "", fmt.Errorf("%s %q: want %s", what, v, strings.Join(choices, ", "))
}

// resolve parses the camera URL with the separate password (a failure
// here is a failed start, not bad usage: the URL may come from a file).
func (c *config) resolve() error {
	u, err := parseURL(c.URL, c.Password)
	if err != nil {
		return err
	}
	c.url = u
	c.user = u.User.Username()
	c.password, _ = u.User.Password()
	return nil
}

// parseURL checks the camera URL and applies a separate password. Its
// errors never quote the URL: a mistyped one may hold the password.
func parseURL(raw, password string) (*url.URL, error) {
	if raw == "" {
		return nil, errors.New("no camera URL (want rtsp://[user:pass@]host[:port]/path)")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("camera URL %s is not valid (want rtsp://[user:pass@]host[:port]/path)", redact.URL(raw))
	}
	if u.Scheme != "rtsp" && u.Scheme != "rtsps" {
		return nil, fmt.Errorf("camera URL %s: scheme must be rtsp or rtsps", redact.URL(raw))
	}
	if u.Host == "" {
		return nil, fmt.Errorf("camera URL %s has no host", redact.URL(raw))
	}
	if u.Opaque != "" || u.Fragment != "" {
		return nil, fmt.Errorf("camera URL %s is not valid (want rtsp://[user:pass@]host[:port]/path)", redact.URL(raw))
	}
	if password != "" {
		user := ""
		if u.User != nil {
			user = u.User.Username()
		}
		u.User = url.UserPassword(user, password)
	}
	return u, nil
}

// Run recovers leftover .tmp files in Dir, then records until ctx is done,
// closing the open segment cleanly (returns nil). Permanent start-up errors
// (bad URL, wrong credentials 401, no such path 404, unsupported codec, no
// video track) return a one-line error at once, without credentials.
// Network loss (also at start-up: camera still booting) retries forever with
// capped backoff; if the camera was never reached when ctx ends, Run says so
// in its error.
func Run(ctx context.Context, o Options) error {
	c, err := check(o)
	if err != nil {
		return err
	}
	if err := c.resolve(); err != nil {
		return err
	}
	c.startActivity()
	c.startTimelapse()
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return fmt.Errorf("record: %w", err)
	}
	if err := checkWritable(c.Dir); err != nil {
		return err
	}
	rec, err := segment.RecoverAll(c.Dir, c.Scheme)
	for i := range rec.Segments {
		info := &rec.Segments[i]
		c.Log.Info("recovered unfinished segment", "file", info.Name, "duration", info.Duration.Round(time.Millisecond))
		c.emit(Event{Kind: Recovered, Time: time.Now(), Segment: info})
	}
	for _, name := range rec.Removed {
		c.Log.Warn("removed an unfinished segment with nothing playable in it", "file", name)
	}
	if err != nil {
		// A damaged leftover must not stop recording: log it and go on.
		c.Log.Warn("recovering unfinished segments", "err", err)
	}
	err = c.loop(ctx)
	if c.timelapse != nil {
		c.timelapse.stop()
	}
	return err
}

// checkWritable fails at start when segments could not be created in dir
// (read-only mount, another user's folder), instead of connecting to the
// camera and failing at every keyframe.
func checkWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".camshare-write-check-*")
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("folder %s is not writable: %v", dir, err)
	}
	name := f.Name()
	if err := f.Close(); err != nil {
		return fmt.Errorf("folder %s: %v", dir, err)
	}
	if err := os.Remove(name); err != nil {
		return fmt.Errorf("folder %s: %v", dir, err)
	}
	return nil
}

func (c *config) emit(e Event) {
	if c.Events != nil {
		c.Events(e)
	}
}

// loop connects, records, and reconnects until ctx is done.
func (c *config) loop(ctx context.Context) error {
	log := c.Log.With("camera", c.safeURL())
	bo := newBackoff(time.Second, 30*time.Second)
	everStreamed := false
	lost := false // a loss was logged and no reconnect yet
	var lastErr error
	for {
		s := newSession(c, log)
		streamed, err := s.run(ctx, func() {
			// Called once the first video frame is in: a real connection.
			c.emit(Event{Kind: Connected, Time: time.Now()})
			if lost {
				log.Info("camera reconnected")
			} else {
				log.Info("recording", "dir", c.Dir, "segment", c.Segment)
			}
			lost = false
			bo.reset()
		})
		everStreamed = everStreamed || streamed
		if ctx.Err() != nil {
			if !everStreamed && lastErr != nil {
				return fmt.Errorf("camera %s was never reached: %v", c.safeURL(), lastErr)
			}
			return nil
		}
		err = c.redactErr(err)
		if !everStreamed && isPermanent(err) {
			return fmt.Errorf("camera %s: %v", c.safeURL(), err)
		}
		lastErr = err
		if !lost {
			if streamed {
				log.Warn("camera lost, reconnecting", "err", err)
			} else {
				log.Warn("camera not reachable, retrying", "err", err)
			}
			lost = true
			c.emit(Event{Kind: Disconnected, Time: time.Now(), Err: err})
		} else {
			log.Debug("reconnect failed", "err", err)
		}
		select {
		case <-ctx.Done():
			if !everStreamed {
				return fmt.Errorf("camera %s was never reached: %v", c.safeURL(), lastErr)
			}
			return nil
		case <-time.After(bo.next(err)):
		}
	}
}
