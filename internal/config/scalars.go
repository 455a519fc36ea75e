package config

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/camshare/camshare/internal/units"
	"github.com/camshare/camshare/record"
)

// mapping checks that n is a mapping, that every key is known and set once,
// and hands each value to its field's parser.
func (p *parser) mapping(n *yaml.Node, prefix string, fields map[string]func(*yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		name := strings.TrimSuffix(prefix, ".")
		if name == "" {
			name = "the file"
		}
		p.errf(n, "%s: want 'key: value' lines here", name)
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if line, dup := seen[k.Value]; dup {
			p.errf(k, "%s%s: set twice (first on line %d)", prefix, k.Value, line)
			continue
		}
		seen[k.Value] = k.Line
		f, ok := fields[k.Value]
		if !ok {
			p.errf(k, "%s", unknownKey(prefix, k.Value, fields))
			continue
		}
		f(v)
	}
}

func unknownKey(prefix, key string, fields map[string]func(*yaml.Node)) string {
	known := make([]string, 0, len(fields))
	for f := range fields {
		known = append(known, f)
	}
	sort.Strings(known)
	best, bestD := "", 3
	for _, f := range known {
		if d := editDistance(strings.ToLower(key), f); d < bestD {
			best, bestD = f, d
		}
	}
	if best != "" {
		return "unknown key " + quote(prefix+key) + ": did you mean " + quote(best) + "?"
	}
	return "unknown key " + quote(prefix+key) + " (known here: " + strings.Join(known, ", ") + ")"
}

func quote(s string) string { return `"` + s + `"` }

// editDistance is Levenshtein's, enough to catch "pasword_file".
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

func (p *parser) str(v *yaml.Node, where string) string {
	if v.Kind != yaml.ScalarNode {
		p.errf(v, "%s: want a single value, not a list or mapping", where)
		return ""
	}
	if v.Tag == "!!null" {
		return ""
	}
	return v.Value
}

// path expands ~ and $VARS and makes a relative path relative to the config
// file, so a service started from any folder reads the same files.
func (p *parser) path(v *yaml.Node, where string) string {
	s := p.str(v, where)
	if s == "" {
		return ""
	}
	s = os.ExpandEnv(s)
	if s == "~" || strings.HasPrefix(s, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			p.errf(v, "%s: %q uses ~ but there is no home folder", where, s)
			return ""
		}
		s = filepath.Join(home, s[1:])
	}
	if !filepath.IsAbs(s) {
		s = filepath.Join(p.base, s)
	}
	return s
}

func (p *parser) size(v *yaml.Node, where string) int64 {
	s := p.str(v, where)
	if s == "" {
		return 0
	}
	n, err := units.ParseSize(s)
	if err != nil {
		p.errf(v, "%s: %v", where, err)
	}
	return n
}

func (p *parser) duration(v *yaml.Node, where string) time.Duration {
	s := p.str(v, where)
	if s == "" {
		return 0
	}
	d, err := units.ParseDuration(s)
	if err != nil {
		p.errf(v, "%s: %v", where, err)
	}
	return d
}

func (p *parser) segment(v *yaml.Node, where string) time.Duration {
	d := p.duration(v, where)
	if d == 0 {
		return 0
	}
	if err := record.CheckSegment(d); err != nil {
		p.errf(v, "%s: %v (5m is usual)", where, err)
	}
	return d
}

// timelapseEvery is a timelapse interval: 0 (off) or whole seconds.
func (p *parser) timelapseEvery(v *yaml.Node, where string) time.Duration {
	d := p.duration(v, where)
	if d < 0 || d%time.Second != 0 {
		p.errf(v, "%s: want 0 (no timelapse) or whole seconds (1m is usual)", where)
	}
	return d
}

func (p *parser) count(v *yaml.Node, where string) int {
	s := p.str(v, where)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		p.errf(v, "%s: %q is not a count (a whole number of segments, e.g. 12)", where, s)
	}
	return n
}

func (p *parser) choice(v *yaml.Node, where string, choices ...string) string {
	s := p.str(v, where)
	if s == "" {
		return ""
	}
	for _, c := range choices {
		if strings.EqualFold(s, c) {
			return c
		}
	}
	p.errf(v, "%s: %q is not one of %s", where, s, strings.Join(choices, ", "))
	return ""
}

func (p *parser) boolean(v *yaml.Node, where string) bool {
	s := p.str(v, where)
	switch strings.ToLower(s) {
	case "true", "yes", "on":
		return true
	case "false", "no", "off", "":
		return false
	}
	p.errf(v, "%s: %q is not on/off (true/false)", where, s)
	return false
}
