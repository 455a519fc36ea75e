package layout

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// A pattern is a parsed strftime pattern. It formats a time and, because
// every directive it accepts has a fixed, digit-only shape, it also parses
// the text back into the time it came from: that is what lets ship, share
// and prune read times out of names instead of trusting file dates.
type pattern struct {
	src    string
	parts  []part
	re     *regexp.Regexp
	fields []byte // directive letter for each capture group of re
}

type part struct {
	lit string // literal text when dir == 0
	dir byte   // strftime directive letter
}

// Supported directives. Each formats to a fixed-width run of digits (or a
// signed offset for %z) so parsing is unambiguous.
var directives = map[byte]string{
	'Y': `(\d{4})`,
	'm': `(\d{2})`,
	'd': `(\d{2})`,
	'H': `(\d{2})`,
	'M': `(\d{2})`,
	'S': `(\d{2})`,
	'z': `([+-]\d{4})`,
	's': `(\d+)`,
}

func parsePattern(src string) (*pattern, error) {
	p := &pattern{src: src}
	var lit strings.Builder
	var re strings.Builder
	re.WriteString("^")
	flush := func() {
		if lit.Len() > 0 {
			p.parts = append(p.parts, part{lit: lit.String()})
			re.WriteString(regexp.QuoteMeta(lit.String()))
			lit.Reset()
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c != '%' {
			lit.WriteByte(c)
			continue
		}
		if i+1 >= len(src) {
			return nil, fmt.Errorf("pattern %q ends with a lone %%", src)
		}
		i++
		d := src[i]
		if d == '%' {
			lit.WriteByte('%')
			continue
		}
		expr, ok := directives[d]
		if !ok {
			return nil, fmt.Errorf("pattern %q: %%%c is not supported (use %%Y %%m %%d %%H %%M %%S %%z %%s)", src, d)
		}
		flush()
		p.parts = append(p.parts, part{dir: d})
		p.fields = append(p.fields, d)
		re.WriteString(expr)
	}
	flush()
	re.WriteString("$")
	p.re = regexp.MustCompile(re.String())
	return p, nil
}

func (p *pattern) has(d byte) bool {
	for _, f := range p.fields {
		if f == d {
			return true
		}
	}
	return false
}

func (p *pattern) format(t time.Time) string {
	var b strings.Builder
	for _, pt := range p.parts {
		switch pt.dir {
		case 0:
			b.WriteString(pt.lit)
		case 'Y':
			fmt.Fprintf(&b, "%04d", t.Year())
		case 'm':
			fmt.Fprintf(&b, "%02d", int(t.Month()))
		case 'd':
			fmt.Fprintf(&b, "%02d", t.Day())
		case 'H':
			fmt.Fprintf(&b, "%02d", t.Hour())
		case 'M':
			fmt.Fprintf(&b, "%02d", t.Minute())
		case 'S':
			fmt.Fprintf(&b, "%02d", t.Second())
		case 'z':
			b.WriteString(t.Format("-0700"))
		case 's':
			b.WriteString(strconv.FormatInt(t.Unix(), 10))
		}
	}
	return b.String()
}

// fields holds what a parse found; missing fields keep their zero values.
type fields struct {
	year, month, day, hour, min, sec int
	zone                             *time.Location
	unix                             int64
	hasUnix                          bool
	finest                           byte // finest unit present: Y m d H M S
}

func (p *pattern) parse(s string) (fields, bool) {
	m := p.re.FindStringSubmatch(s)
	if m == nil {
		return fields{}, false
	}
	f := fields{month: 1, day: 1}
	rank := map[byte]int{'Y': 1, 'm': 2, 'd': 3, 'H': 4, 'M': 5, 'S': 6, 's': 7}
	for i, d := range p.fields {
		v := m[i+1]
		if d == 'z' {
			sign := 1
			if v[0] == '-' {
				sign = -1
			}
			hh, _ := strconv.Atoi(v[1:3])
			mm, _ := strconv.Atoi(v[3:5])
			if hh > 14 || mm > 59 {
				return fields{}, false
			}
			f.zone = time.FixedZone("", sign*(hh*3600+mm*60))
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return fields{}, false
		}
		switch d {
		case 'Y':
			f.year = int(n)
		case 'm':
			f.month = int(n)
		case 'd':
			f.day = int(n)
		case 'H':
			f.hour = int(n)
		case 'M':
			f.min = int(n)
		case 'S':
			f.sec = int(n)
		case 's':
			f.unix, f.hasUnix = n, true
		}
		if rank[d] > rank[f.finest] {
			f.finest = d
		}
	}
	if f.month < 1 || f.month > 12 || f.day < 1 || f.day > 31 || f.hour > 23 || f.min > 59 || f.sec > 60 {
		return fields{}, false
	}
	return f, true
}

// time builds the time the fields name, in loc unless the text carried its
// own offset. Impossible dates (Feb 30) are rejected rather than normalised.
func (f fields) time(loc *time.Location) (time.Time, bool) {
	if f.hasUnix {
		t := time.Unix(f.unix, 0)
		if f.zone != nil {
			return t.In(f.zone), true
		}
		return t.In(loc), true
	}
	if f.zone != nil {
		loc = f.zone
	}
	t := time.Date(f.year, time.Month(f.month), f.day, f.hour, f.min, f.sec, 0, loc)
	if t.Day() != f.day || int(t.Month()) != f.month {
		return time.Time{}, false
	}
	return t, true
}

// span is how long the finest unit present lasts.
func (f fields) span(start time.Time) time.Duration {
	switch f.finest {
	case 'Y':
		return start.AddDate(1, 0, 0).Sub(start)
	case 'm':
		return start.AddDate(0, 1, 0).Sub(start)
	case 'd':
		return start.AddDate(0, 0, 1).Sub(start)
	case 'H':
		return time.Hour
	case 'M':
		return time.Minute
	default:
		return time.Second
	}
}
