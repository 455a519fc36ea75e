package units

import "time"

// Duration is a time.Duration flag that reads what people type ("30d",
// "5m", "4w"): one pflag.Value instead of a string flag parsed by hand in
// every command, so a typo is a usage error naming the flag.
type Duration time.Duration

// DurationVar is the flag form of *d.
func DurationVar(d *time.Duration) *Duration { return (*Duration)(d) }

func (d *Duration) Set(s string) error {
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

func (d *Duration) String() string {
	if d == nil || *d == 0 {
		return "0" // pflag then shows no "(default …)"
	}
	return FormatDuration(time.Duration(*d))
}

func (d *Duration) Type() string { return "duration" }

// OrOff is a Duration flag where "0" (or "off") turns the thing off: only
// for flags where zero means none (a timelapse interval), never for one
// where it would mean "everything" (prune --keep 0).
type OrOff Duration

// DurationOrOffVar is the flag form of *d, 0 allowed.
func DurationOrOffVar(d *time.Duration) *OrOff { return (*OrOff)(d) }

func (d *OrOff) Set(s string) error {
	if s == "0" || s == "off" {
		*d = 0
		return nil
	}
	return (*Duration)(d).Set(s)
}

func (d *OrOff) String() string { return (*Duration)(d).String() }

func (d *OrOff) Type() string { return "duration" }

// Size is a byte count flag that reads "20GB", "500MiB", "1G".
type Size int64

// SizeVar is the flag form of *n.
func SizeVar(n *int64) *Size { return (*Size)(n) }

func (n *Size) Set(s string) error {
	v, err := ParseSize(s)
	if err != nil {
		return err
	}
	*n = Size(v)
	return nil
}

func (n *Size) String() string {
	if n == nil || *n == 0 {
		return "0"
	}
	return FormatSize(int64(*n))
}

func (n *Size) Type() string { return "size" }
