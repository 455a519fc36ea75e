package units

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	good := map[string]time.Duration{
		"90m": 90 * time.Minute, "36h": 36 * time.Hour, "30d": 30 * 24 * time.Hour,
		"4w": 28 * 24 * time.Hour, "1s": time.Second, "1d12h": 36 * time.Hour,
		"1.5h": 90 * time.Minute, "5m30s": 5*time.Minute + 30*time.Second, "250ms": 250 * time.Millisecond,
	}
	for in, want := range good {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "5", "m", "-5m", "5y", "5 m", "1d-2h", "abc", "99999999999999w"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
}

func TestParseSize(t *testing.T) {
	good := map[string]int64{"20GB": 20e9, "20GiB": 20 << 30, "20G": 20 << 30, "512k": 512 << 10, "100": 100, "1.5M": 3 << 19}
	for in, want := range good {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "GB", "-1G", "12XB", "1e400"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) accepted", bad)
		}
	}
}

func TestFormat(t *testing.T) {
	if got := FormatDuration(30 * 24 * time.Hour); got != "30d" {
		t.Errorf("FormatDuration = %q", got)
	}
	if got := FormatSize(3 << 29); got != "1.5 GiB" {
		t.Errorf("FormatSize = %q", got)
	}
}

// "0" and "off" turn an OrOff flag off; plain Duration flags still refuse
// them (prune --keep 0 must not mean "keep nothing").
func TestDurationOrOff(t *testing.T) {
	var d time.Duration = time.Minute
	for _, s := range []string{"0", "off"} {
		d = time.Minute
		if err := DurationOrOffVar(&d).Set(s); err != nil || d != 0 {
			t.Errorf("%q: %v, %v", s, d, err)
		}
	}
	if err := DurationOrOffVar(&d).Set("90s"); err != nil || d != 90*time.Second {
		t.Errorf("90s: %v, %v", d, err)
	}
	if err := DurationVar(&d).Set("0"); err == nil {
		t.Error(`a plain duration flag took "0"`)
	}
}
