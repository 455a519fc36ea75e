package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/units"
)

// Load reads, parses and checks a config file, resolving camera passwords
// from their files or environment variables. A file with mistakes gives
// Errors listing all of them.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("config %q does not exist (write an example with 'camshare init')", path)
		}
		return nil, fmt.Errorf("config %q: %v", path, err)
	}
	return Parse(data, path)
}

// LoadWithoutSecrets is Load for commands that never talk to a camera
// (status, service): camera passwords are not read, so a cron job without
// the password variables can still find the state file.
func LoadWithoutSecrets(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("config %q does not exist (write an example with 'camshare init')", path)
		}
		return nil, fmt.Errorf("config %q: %v", path, err)
	}
	return parse(data, path, true)
}

// Parse checks data as the contents of path (relative paths in the file are
// taken from path's folder).
func Parse(data []byte, path string) (*Config, error) {
	return parse(data, path, false)
}

func parse(data []byte, path string, skipSecrets bool) (*Config, error) {
	p := &parser{base: filepath.Dir(path), skipSecrets: skipSecrets}
	c := &Config{Path: path}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, Errors{syntaxMistake(err)}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, Errors{{Msg: "the file is empty (write an example with 'camshare init')"}}
	}
	p.top(doc.Content[0], c)
	if len(p.errs) > 0 {
		// In file order, as a person fixes them.
		sort.SliceStable(p.errs, func(i, j int) bool { return p.errs[i].Line < p.errs[j].Line })
		return nil, p.errs
	}
	return c, nil
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func syntaxMistake(err error) Mistake {
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		return Mistake{Line: line, Msg: "not valid YAML: " + m[2]}
	}
	return Mistake{Msg: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
}

type parser struct {
	base        string // folder of the config file
	skipSecrets bool   // do not read password files and variables
	errs        Errors
}

func (p *parser) errf(n *yaml.Node, format string, a ...any) {
	p.errs = append(p.errs, Mistake{Line: n.Line, Msg: fmt.Sprintf(format, a...)})
}

// top walks the document. Camera defaults (segment, audio, transport) may
// come after the cameras, so they are applied at the end.
func (p *parser) top(n *yaml.Node, c *Config) {
	var def Camera
	var camsNode *yaml.Node
	p.mapping(n, "", map[string]func(*yaml.Node){
		"rclone_config": func(v *yaml.Node) { c.RcloneConfig = p.path(v, "rclone_config") },
		"dir":           func(v *yaml.Node) { c.Dir = p.path(v, "dir") },
		"max_local":     func(v *yaml.Node) { c.MaxLocal = p.size(v, "max_local") },
		"min_free":      func(v *yaml.Node) { c.MinFree = p.size(v, "min_free") },
		"remote":        func(v *yaml.Node) { c.Remote = p.str(v, "remote") },
		"encrypt":       func(v *yaml.Node) { c.Encrypt = p.boolean(v, "encrypt") },
		"key_file":      func(v *yaml.Node) { c.KeyFile = p.path(v, "key_file") },
		"layout":        func(v *yaml.Node) { p.layout(v, &c.Layout) },
		"retention":     func(v *yaml.Node) { p.retention(v, &c.Retention) },
		"live":          func(v *yaml.Node) { p.live(v, &c.Live) },
		"segment":       func(v *yaml.Node) { def.Segment = p.segment(v, "segment") },
		"audio":         func(v *yaml.Node) { def.Audio = p.choice(v, "audio", "auto", "none") },
		"transport":     func(v *yaml.Node) { def.Transport = p.choice(v, "transport", "tcp", "udp", "auto") },
		"cameras":       func(v *yaml.Node) { camsNode = v; p.cameras(v, c) },
		"timelapse_every": func(v *yaml.Node) {
			def.TimelapseEvery, def.timelapseSet = p.timelapseEvery(v, "timelapse_every"), true
		},
	})
	if n.Kind != yaml.MappingNode {
		return
	}
	if c.Remote == "" {
		p.errf(n, "remote: missing (where footage goes, e.g. remote: mys3:cameras)")
	} else if !strings.Contains(c.Remote, ":") && !strings.HasPrefix(c.Remote, "/") {
		p.errf(p.valueOf(n, "remote"), "remote %q: want REMOTE:FOLDER (a name from rclone.conf, or a local /path)", c.Remote)
	}
	if camsNode == nil {
		p.errf(n, "cameras: missing (list at least one camera with name and url)")
	} else if len(c.Cameras) == 0 && camsNode.Kind == yaml.SequenceNode {
		p.errf(camsNode, "cameras: the list is empty")
	}
	if c.Dir == "" {
		if home, err := os.UserHomeDir(); err == nil {
			c.Dir = filepath.Join(home, "camshare")
		} else {
			p.errf(n, "dir: missing and there is no home folder to default to")
		}
	}
	// Without a layout section, the layout of the hand-made set-up.
	if c.Layout.Name == "" {
		c.Layout.Name = layout.DefaultName
	}
	if c.Layout.Dir == "" {
		c.Layout.Dir = layout.DefaultDir
	}
	if _, err := c.Scheme(); err != nil {
		p.errf(p.valueOf(n, "layout"), "layout: %v", err)
	}
	if c.Retention.Every == 0 {
		c.Retention.Every = DefaultPruneEvery
	}
	if c.Live.Expire == 0 {
		c.Live.Expire = DefaultExpire
	}
	if c.Live.Window == 0 {
		c.Live.Window = DefaultWindow
	}
	for i := range c.Cameras {
		cam := &c.Cameras[i]
		if cam.Segment == 0 {
			cam.Segment = def.Segment
		}
		if cam.Segment == 0 {
			cam.Segment = DefaultSegment
		}
		if !cam.timelapseSet {
			cam.TimelapseEvery = DefaultTimelapse
			if def.timelapseSet {
				cam.TimelapseEvery = def.TimelapseEvery
			}
		}
		if cam.Audio == "" {
			cam.Audio = def.Audio
		}
		if cam.Audio == "" {
			cam.Audio = "auto"
		}
		if cam.Transport == "" {
			cam.Transport = def.Transport
		}
		if cam.Transport == "" {
			cam.Transport = "tcp"
		}
		// prune refuses this too, but only at its first hourly pass.
		if k := c.Retention.Keep; k > 0 && k < cam.Segment {
			p.errf(p.valueOf(n, "retention"), "retention.keep (%s) is shorter than camera %s's segment (%s): footage would be deleted as soon as it ships",
				units.FormatDuration(k), cam.Name, units.FormatDuration(cam.Segment))
		}
	}
}

// valueOf finds key's value node in a mapping, or the mapping itself.
func (p *parser) valueOf(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return n
}

func (p *parser) layout(n *yaml.Node, l *Layout) {
	p.mapping(n, "layout.", map[string]func(*yaml.Node){
		"name": func(v *yaml.Node) { l.Name = p.str(v, "layout.name") },
		"dir":  func(v *yaml.Node) { l.Dir = p.str(v, "layout.dir") },
		"utc":  func(v *yaml.Node) { l.UTC = p.boolean(v, "layout.utc") },
	})
}

func (p *parser) retention(n *yaml.Node, r *Retention) {
	p.mapping(n, "retention.", map[string]func(*yaml.Node){
		"keep":     func(v *yaml.Node) { r.Keep = p.duration(v, "retention.keep") },
		"min_keep": func(v *yaml.Node) { r.MinKeep = p.count(v, "retention.min_keep") },
		"max_size": func(v *yaml.Node) { r.MaxSize = p.size(v, "retention.max_size") },
		"every":    func(v *yaml.Node) { r.Every = p.duration(v, "retention.every") },
	})
}

func (p *parser) live(n *yaml.Node, l *Live) {
	if n.Kind == yaml.ScalarNode { // "live: on" is enough
		l.Enabled = p.boolean(n, "live")
		return
	}
	p.mapping(n, "live.", map[string]func(*yaml.Node){
		"enabled": func(v *yaml.Node) { l.Enabled = p.boolean(v, "live.enabled") },
		"expire":  func(v *yaml.Node) { l.Expire = p.duration(v, "live.expire") },
		"window":  func(v *yaml.Node) { l.Window = p.duration(v, "live.window") },
		"title":   func(v *yaml.Node) { l.Title = p.str(v, "live.title") },
	})
}
