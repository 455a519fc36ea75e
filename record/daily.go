package record

import (
	"errors"
	"os"
	"path/filepath"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"

	"github.com/camshare/camshare/record/internal/timelapse"
)

// dailyLapse keeps one key frame every `every` of wall time in the day's
// timelapse (record/internal/timelapse.Daily), per camera across
// connections. The cutter calls it for key frames only, and it writes one a
// slot: the rest of the stream never reaches it. The day is the scheme's:
// the first key frame after its midnight closes the old file (renamed to
// its closed name, which ship picks up) and starts the new one.
type dailyLapse struct {
	c     *config
	every time.Duration
	cur   *timelapse.Daily
	day   time.Time // start of cur's day
	slot  int64     // the last slot (index of `every` since day) written
	swept bool      // earlier days' leftovers were closed (once a run)
}

func (c *config) startTimelapse() {
	if c.TimelapseEvery > 0 {
		c.timelapse = &dailyLapse{c: c, every: c.TimelapseEvery, slot: -1}
	}
}

// dayOf is the start of the scheme's day holding t.
func (d *dailyLapse) dayOf(t time.Time) time.Time {
	lt := t.In(d.c.Scheme.Location())
	y, m, dd := lt.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, lt.Location())
}

// wants says whether the key frame at wall time t starts a new slot.
func (d *dailyLapse) wants(t time.Time) bool {
	day := d.dayOf(t)
	if !day.Equal(d.day) {
		return true
	}
	return int64(t.Sub(day)/d.every) > d.slot
}

// keyFrame writes the key frame at wall time t if wanted.
func (d *dailyLapse) keyFrame(t time.Time, au [][]byte, h265 bool) {
	if !d.wants(t) {
		return
	}
	day := d.dayOf(t)
	if d.cur != nil && !day.Equal(d.day) {
		d.closeDay()
	}
	payload, err := h264.AVCC(au).Marshal()
	if err != nil {
		return
	}
	if d.cur == nil {
		if !d.swept {
			d.closeLeftovers(day)
			d.swept = true
		}
		tmp := filepath.Join(d.c.Dir, d.tempName(day))
		if d.cur, err = timelapse.OpenDaily(tmp, payload, h265); err != nil {
			d.c.Log.Warn("cannot open the day's timelapse; trying again at the next picture", "file", tmp, "err", err)
			d.cur = nil
			d.slot = int64(t.Sub(day) / d.every)
			return
		}
		d.day = day
	}
	d.slot = int64(t.Sub(day) / d.every)
	if err := d.cur.Add(payload); err != nil {
		d.c.Log.Warn("timelapse picture not written", "err", err)
	}
}

func (d *dailyLapse) tempName(day time.Time) string {
	return d.c.Scheme.TempName(d.c.Scheme.TimelapseLocal(day))
}

// closeDay closes the open day's file under its closed name. Closing
// rewrites the day's pictures once (a few MB), so it runs beside the
// cutter, which goes on at once with the new day's file.
func (d *dailyLapse) closeDay() {
	final := filepath.Join(d.c.Dir, d.c.Scheme.TimelapseLocal(d.day))
	cur, log := d.cur, d.c.Log
	d.cur = nil
	go func() {
		n := cur.Frames()
		if err := cur.Close(final); err != nil {
			log.Warn("closing the day's timelapse", "file", final, "err", err)
		} else {
			log.Info("timelapse closed", "file", final, "pictures", n)
		}
	}()
}

// closeLeftovers closes the temp timelapses of days before today that a
// stopped or killed recorder left (today's is continued).
func (d *dailyLapse) closeLeftovers(today time.Time) {
	entries, err := os.ReadDir(d.c.Dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		day, closed, ok := d.c.Scheme.TimelapseOfLocal(e.Name())
		if !ok || closed || !day.Before(today) {
			continue
		}
		final := filepath.Join(d.c.Dir, d.c.Scheme.TimelapseLocal(day))
		err := timelapse.CloseDaily(filepath.Join(d.c.Dir, e.Name()), final)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			d.c.Log.Warn("closing an earlier day's timelapse", "file", e.Name(), "err", err)
		}
	}
}

// stop leaves the open file as it is: the next start continues it (same
// day) or closes it (a later day).
func (d *dailyLapse) stop() {
	if d.cur != nil {
		d.cur.Leave()
		d.cur = nil
		d.day = time.Time{}
	}
}
