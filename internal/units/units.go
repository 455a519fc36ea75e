// Package units parses the durations and sizes people type: "30d", "4w",
// "90m", "20GB", "500MiB". Go's time.ParseDuration stops at hours and has no
// sizes; retention is naturally said in days.
package units

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ParseDuration accepts Go durations ("1h30m", "2s") plus d (24h) and w (7d)
// units, also combined ("1w2d", "1d12h"). Negative values are rejected.
func ParseDuration(s string) (time.Duration, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return 0, fmt.Errorf("empty duration (want e.g. 90s, 5m, 36h, 30d, 4w)")
	}
	var total time.Duration
	rest := in
	for rest != "" {
		i := 0
		for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9' || rest[i] == '.') {
			i++
		}
		j := i
		for j < len(rest) && (rest[j] < '0' || rest[j] > '9') && rest[j] != '.' {
			j++
		}
		if i == 0 || j == i {
			return 0, fmt.Errorf("invalid duration %q (want e.g. 90s, 5m, 36h, 30d, 4w)", in)
		}
		num, err := strconv.ParseFloat(rest[:i], 64)
		if err != nil {
			return 0, fmt.Errorf("invalid duration %q (want e.g. 90s, 5m, 36h, 30d, 4w)", in)
		}
		var unit time.Duration
		switch rest[i:j] {
		case "w":
			unit = 7 * 24 * time.Hour
		case "d":
			unit = 24 * time.Hour
		case "h":
			unit = time.Hour
		case "m":
			unit = time.Minute
		case "s":
			unit = time.Second
		case "ms":
			unit = time.Millisecond
		default:
			return 0, fmt.Errorf("invalid duration %q: unknown unit %q (use s, m, h, d, w)", in, rest[i:j])
		}
		part := num * float64(unit)
		if part > math.MaxInt64/2 {
			return 0, fmt.Errorf("duration %q is too long", in)
		}
		total += time.Duration(part)
		rest = rest[j:]
	}
	return total, nil
}

// FormatDuration prints d the way ParseDuration reads it, in whole days
// where it can ("30d", "36h", "5m0s" stays Go style below a day).
func FormatDuration(d time.Duration) string {
	if d >= 24*time.Hour && d%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"
	}
	return d.String()
}

var sizeUnits = map[string]float64{
	"": 1, "b": 1,
	"k": 1 << 10, "kb": 1e3, "kib": 1 << 10,
	"m": 1 << 20, "mb": 1e6, "mib": 1 << 20,
	"g": 1 << 30, "gb": 1e9, "gib": 1 << 30,
	"t": 1 << 40, "tb": 1e12, "tib": 1 << 40,
}

// ParseSize accepts "20GB" (decimal), "20GiB" or "20G" (binary, as rclone
// reads "20G"), "512k", "1048576". Negative values are rejected.
func ParseSize(s string) (int64, error) {
	in := strings.TrimSpace(s)
	i := 0
	for i < len(in) && (in[i] >= '0' && in[i] <= '9' || in[i] == '.') {
		i++
	}
	num, err := strconv.ParseFloat(in[:i], 64)
	mult, ok := sizeUnits[strings.ToLower(strings.TrimSpace(in[i:]))]
	if i == 0 || err != nil || !ok {
		return 0, fmt.Errorf("invalid size %q (want e.g. 500M, 20GB, 1GiB)", in)
	}
	v := num * mult
	if v > math.MaxInt64/2 {
		return 0, fmt.Errorf("size %q is too large", in)
	}
	return int64(v), nil
}

// FormatSize prints n in binary units, one decimal: "1.5 GiB".
func FormatSize(n int64) string {
	const k = 1024
	if n < k {
		return fmt.Sprintf("%d B", n)
	}
	f, units := float64(n), []string{"KiB", "MiB", "GiB", "TiB"}
	u := -1
	for f >= k && u < len(units)-1 {
		f /= k
		u++
	}
	return fmt.Sprintf("%.1f %s", f, units[u])
}
