package record

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/archive"
	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/record/internal/timelapse"
)

// TimelapseOptions say which day of an archive to turn into a timelapse.
type TimelapseOptions struct {
	Source fs.Fs          // a camera's archive (remote folder, or a local one)
	Scheme *layout.Scheme // nil = layout.Default(); a flat folder is tried when the layout finds nothing
	Day    time.Time      // any time of the day (in the scheme's zone)
	Every  time.Duration  // one key frame this often; 0 = DefaultTimelapseEvery
	Out    string         // the MP4 to write
}

// DefaultTimelapseEvery is one picture a minute: a day plays in 48 s.
const DefaultTimelapseEvery = time.Minute

// TimelapseResult says what was built and what it cost to read.
type TimelapseResult struct {
	Frames    int
	Segments  int
	Reads     int   // ranged reads of the segments
	ReadBytes int64 // bytes they fetched
	Bytes     int64 // bytes of the segments (reading them whole)
}

// BuildTimelapse makes a day's timelapse from its segments without
// transcoding: one key frame every Every, played at 30 fps, read from each
// segment with ranged reads (rclone asks the backend for only those bytes
// where the backend allows it).
func BuildTimelapse(ctx context.Context, o TimelapseOptions) (TimelapseResult, error) {
	if o.Scheme == nil {
		o.Scheme = layout.Default()
	}
	if o.Every <= 0 {
		o.Every = DefaultTimelapseEvery
	}
	loc := o.Scheme.Location()
	d := o.Day.In(loc)
	from := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
	to := from.AddDate(0, 0, 1)
	segs, err := archive.Segments(ctx, o.Source, o.Scheme, from, to)
	if err == nil && len(segs) == 0 && o.Scheme.Depth() > 0 {
		segs, err = archive.Segments(ctx, o.Source, o.Scheme.Flat(), from, to) // the recorder's own folder
	}
	if err != nil {
		return TimelapseResult{}, fmt.Errorf("timelapse: list: %w", err)
	}
	if len(segs) == 0 {
		return TimelapseResult{}, fmt.Errorf("timelapse: no footage on %s", from.Format("2006-01-02"))
	}
	in := make([]timelapse.Segment, len(segs))
	for i, s := range segs {
		in[i] = timelapse.Segment{Name: s.Path, Start: s.Start, Src: rangedObject{ctx, s.Object}}
	}
	r, err := timelapse.Collect(in, o.Every)
	if err != nil {
		return TimelapseResult{}, fmt.Errorf("timelapse: %w", err)
	}
	res := TimelapseResult{Frames: len(r.Frames), Segments: len(segs), Reads: r.Reads, ReadBytes: r.Bytes, Bytes: r.Total}
	return res, timelapse.Write(o.Out, r)
}

// rangedObject reads an rclone object by ranges.
type rangedObject struct {
	ctx context.Context
	o   fs.Object
}

func (r rangedObject) Size() int64 { return r.o.Size() }

func (r rangedObject) ReadAt(off, n int64) ([]byte, error) {
	rc, err := r.o.Open(r.ctx, &fs.RangeOption{Start: off, End: off + n - 1})
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, n))
	if err == nil && int64(len(b)) < n {
		err = errors.New("short read")
	}
	return b, err
}
