package record

import (
	"path/filepath"
	"time"

	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/sidecar"
	"github.com/camshare/camshare/record/internal/activity"
	"github.com/camshare/camshare/record/internal/segment"
)

// activityLog scores the camera's picture change (record/internal/activity)
// from the frames the cutter writes, and writes each segment's sidecar
// (internal/sidecar) just before the segment is published. It lives on the
// cutter's goroutine.
type activityLog struct {
	camera string
	scheme *layout.Scheme
	meter  *activity.Meter
	last   time.Duration // wall position of the last frame fed (meter time)
	fed    bool
	// seconds scored and not yet claimed by a closed segment, oldest first.
	seconds []sidecar.Second
}

// keepSeconds bounds the scored seconds held when no segment closes to
// claim them (twice the longest segment).
const keepSeconds = 2 * int(MaxSegment/time.Second)

func newActivityLog(camera string, scheme *layout.Scheme) *activityLog {
	return &activityLog{camera: camera, scheme: scheme, meter: activity.New(0)}
}

// frame takes one written video frame: its wall time and size. The meter
// counts wall-clock seconds (Unix time as a duration), so its seconds line
// up with segment boundaries and names; a step back of the clock (a resync
// re-anchoring it) starts the meter's count afresh.
func (a *activityLog) frame(wall time.Time, au [][]byte, key bool) {
	pos := time.Duration(wall.UnixNano())
	if a.fed && pos < a.last {
		a.meter.Flush()
	}
	a.last, a.fed = pos, true
	size := 0
	for _, n := range au {
		size += len(n)
	}
	a.meter.Frame(pos, size, key)
	a.collect()
}

// collect moves the meter's finished seconds into a.seconds.
func (a *activityLog) collect() {
	for _, s := range a.meter.Take() {
		a.seconds = append(a.seconds, sidecar.Second{At: time.Unix(s.Index, 0), Score: s.Score, Active: s.Active})
	}
	if n := len(a.seconds) - keepSeconds; n > 0 {
		a.seconds = append(a.seconds[:0], a.seconds[n:]...)
	}
}

// flush completes the second being filled (the stream ended or resyncs).
func (a *activityLog) flush() {
	a.meter.Flush()
	a.collect()
	a.fed = false
}

// writer hooks a segment so its sidecar is written before it is published.
func (a *activityLog) writer(w *segment.Writer, video, audio string, log func(err error)) {
	w.BeforePublish = func(info segment.Info) {
		m := &sidecar.Meta{
			Version: sidecar.Version, Camera: a.camera, Segment: info.Name, Start: info.Start,
			Duration: info.Duration.Seconds(), Video: video, Audio: audio, Size: info.Size,
		}
		m.Summarize(a.seconds)
		if err := m.WriteFile(filepath.Join(filepath.Dir(info.Path), a.scheme.Sidecar(info.Name))); err != nil {
			log(err)
		}
		a.forget(info.Start.Add(info.Duration - time.Second))
	}
}

// forget drops the seconds before t: segments close in time order, so no
// later one needs them.
func (a *activityLog) forget(t time.Time) {
	n := 0
	for n < len(a.seconds) && a.seconds[n].At.Before(t) {
		n++
	}
	a.seconds = append(a.seconds[:0], a.seconds[n:]...)
}

// codecName is the video codec as sidecars name it.
func (v *videoTrack) codecName() string {
	if v.h265 {
		return "h265"
	}
	return "h264"
}

// audioName is the audio codec written to segments as sidecars name it.
func (k *cutter) audioName() string {
	if k.audio == nil {
		return ""
	}
	if k.audio.name != "" {
		return k.audio.name
	}
	return "aac"
}

// startActivity sets up the camera's activity log unless it is off.
func (c *config) startActivity() {
	if !c.NoActivity {
		c.activity = newActivityLog(c.Camera, c.Scheme)
	}
}
