package share

import (
	"fmt"
	"strings"
	"time"
)

// ParseTime reads a time as people type it for --from/--to, in loc (the
// camera's zone): "2024-03-23T10:00", "2024-03-23 10:00:30", "2024-03-23",
// RFC 3339 with its own zone, "10:00" (today), "yesterday 18:00", "today",
// "now".
func ParseTime(s string, now time.Time, loc *time.Location) (time.Time, error) {
	in := strings.TrimSpace(strings.ToLower(s))
	now = now.In(loc)
	if t, err := time.Parse(time.RFC3339, strings.ToUpper(in)); err == nil {
		return t, nil
	}
	if in == "now" {
		return now, nil
	}
	day := ""
	switch {
	case strings.HasPrefix(in, "yesterday"):
		day, in = now.AddDate(0, 0, -1).Format("2006-01-02"), strings.TrimSpace(strings.TrimPrefix(in, "yesterday"))
	case strings.HasPrefix(in, "today"):
		day, in = now.Format("2006-01-02"), strings.TrimSpace(strings.TrimPrefix(in, "today"))
	}
	if day != "" {
		if in == "" {
			in = "00:00"
		}
		in = day + "T" + in
	} else if !strings.ContainsAny(in, "-") && strings.Contains(in, ":") {
		in = now.Format("2006-01-02") + "T" + in // a bare clock time is today
	}
	in = strings.Replace(strings.ToUpper(in), " ", "T", 1)
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02", "20060102T150405", "20060102T1504", "20060102"} {
		if t, err := time.ParseInLocation(layout, in, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("can't read time %q (want e.g. 2024-03-23T10:00, 10:00, \"yesterday 18:00\")", s)
}

// ParseDate reads --date (20240323, 2024-03-23, today, yesterday) as the
// day's [start, end) in loc.
func ParseDate(s string, now time.Time, loc *time.Location) (from, to time.Time, err error) {
	in := strings.TrimSpace(strings.ToLower(s))
	now = now.In(loc)
	var day time.Time
	switch in {
	case "today":
		day = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	case "yesterday":
		day = time.Date(now.Year(), now.Month(), now.Day()-1, 0, 0, 0, 0, loc)
	default:
		for _, layout := range []string{"20060102", "2006-01-02"} {
			if day, err = time.ParseInLocation(layout, in, loc); err == nil {
				break
			}
		}
		if err != nil {
			return time.Time{}, time.Time{}, fmt.Errorf("can't read date %q (want YYYYMMDD, e.g. 20240323)", s)
		}
	}
	return day, day.AddDate(0, 0, 1), nil
}
