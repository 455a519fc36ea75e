package share

import (
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	loc := time.FixedZone("CET", 3600)
	now := time.Date(2024, 3, 23, 14, 30, 0, 0, loc)
	for in, want := range map[string]time.Time{
		"2024-03-23T10:00":          time.Date(2024, 3, 23, 10, 0, 0, 0, loc),
		"2024-03-23 10:00:30":       time.Date(2024, 3, 23, 10, 0, 30, 0, loc),
		"2024-03-22":                time.Date(2024, 3, 22, 0, 0, 0, 0, loc),
		"10:00":                     time.Date(2024, 3, 23, 10, 0, 0, 0, loc),
		"yesterday 18:00":           time.Date(2024, 3, 22, 18, 0, 0, 0, loc),
		"Yesterday":                 time.Date(2024, 3, 22, 0, 0, 0, 0, loc),
		"today 08:15":               time.Date(2024, 3, 23, 8, 15, 0, 0, loc),
		"2024-03-23T10:00:00-05:00": time.Date(2024, 3, 23, 15, 0, 0, 0, time.UTC),
		"now":                       now,
	} {
		got, err := ParseTime(in, now, loc)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "soon", "25:00", "2024-13-01", "yesterday noon"} {
		if _, err := ParseTime(bad, now, loc); err == nil {
			t.Errorf("ParseTime(%q) accepted", bad)
		}
	}
	from, to, err := ParseDate("20240323", now, loc)
	if err != nil || !from.Equal(time.Date(2024, 3, 23, 0, 0, 0, 0, loc)) || !to.Equal(time.Date(2024, 3, 24, 0, 0, 0, 0, loc)) {
		t.Errorf("ParseDate = %v %v %v", from, to, err)
	}
	if from, _, err := ParseDate("yesterday", now, loc); err != nil || from.Day() != 22 {
		t.Errorf("ParseDate(yesterday) = %v %v", from, err)
	}
	if _, _, err := ParseDate("2024032", now, loc); err == nil {
		t.Error("ParseDate accepted a short date")
	}
}
