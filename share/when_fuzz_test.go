package share

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // a zone with DST wherever the test runs
)

// FuzzParseTime feeds --from/--to and --date arbitrary text, in a zone with
// daylight saving: never a panic, errors are one line, an accepted time
// survives a round trip through RFC 3339, and a date is one calendar day
// from its midnight. The int64 is a moment written in each documented form,
// which must read back as itself (to that form's precision).
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2024-03-23T10:00", "2024-03-23 10:00:30", "2024-03-22", "10:00", "yesterday 18:00",
		"Yesterday", "today 08:15", "2024-03-23T10:00:00-05:00", "now", "20240323T1015", "20240331T0230", "2024-10-27 02:30",
		"today 24:00", "yesterday-1", "0000-01-01", "9999-12-31T23:59:59+14:00", ""} {
		f.Add(s, int64(1711200000))
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2024, 3, 31, 12, 0, 0, 0, berlin) // the day the clocks go forward
	f.Fuzz(func(t *testing.T, s string, unix int64) {
		got, err := ParseTime(s, now, berlin)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("ParseTime(%q): error on more than one line: %q", s, err)
			}
		} else if back, err := time.Parse(time.RFC3339Nano, got.Format(time.RFC3339Nano)); wholeMinutes(got) && (err != nil || !back.Equal(got)) {
			t.Fatalf("ParseTime(%q) = %v does not survive RFC 3339: %v %v", s, got, back, err)
		}
		if from, to, err := ParseDate(s, now, berlin); err == nil {
			if from.Hour() != 0 || from.Minute() != 0 || !to.After(from) || to.Sub(from) > 25*time.Hour || to.Sub(from) < 23*time.Hour {
				t.Fatalf("ParseDate(%q) = [%v, %v)", s, from, to)
			}
		}
		roundTrip(t, time.Unix(unix%(1<<36), 0).In(berlin))
	})
}

// wholeMinutes: RFC 3339 writes a zone's offset in minutes, and local mean
// time before 1893 (Berlin's +00:53:28) is not.
func wholeMinutes(t time.Time) bool {
	_, off := t.Zone()
	return off%60 == 0
}

// roundTrip writes at in every documented form and reads it back. In the
// hour the clocks go back a wall-clock time is ambiguous: only the wall
// clock is compared there.
func roundTrip(t *testing.T, at time.Time) {
	if at.Year() < 1 || at.Year() > 9999 || !wholeMinutes(at) {
		return
	}
	now := at.Add(time.Hour)
	for _, form := range []struct {
		layout string
		unit   time.Duration
	}{{"2006-01-02T15:04", time.Minute}, {"2006-01-02 15:04:05", time.Second}, {"20060102T150405", time.Second}, {time.RFC3339, time.Second}} {
		in := at.Format(form.layout)
		got, err := ParseTime(in, now, at.Location())
		if err != nil {
			t.Fatalf("ParseTime(%q): %v", in, err)
		}
		want := at.Truncate(form.unit)
		if !got.Equal(want) && got.Format(form.layout) != in {
			t.Fatalf("ParseTime(%q) = %v, want %v", in, got, want)
		}
	}
}
