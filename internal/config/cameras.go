package config

import (
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// A camera's name becomes a folder locally and on the remote.
var cameraNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

func (p *parser) cameras(n *yaml.Node, c *Config) {
	if n.Kind != yaml.SequenceNode {
		p.errf(n, "cameras: want a list (each entry starting with '- name: …')")
		return
	}
	seen := map[string]int{}
	for i, item := range n.Content {
		where := fmt.Sprintf("cameras[%d]", i+1)
		cam := Camera{Line: item.Line}
		p.mapping(item, where+".", map[string]func(*yaml.Node){
			"name":          func(v *yaml.Node) { cam.Name = p.str(v, where+".name") },
			"url":           func(v *yaml.Node) { cam.URL = p.cameraURL(v, where+".url") },
			"password_file": func(v *yaml.Node) { cam.PasswordFile = p.path(v, where+".password_file") },
			"password_env":  func(v *yaml.Node) { cam.PasswordEnv = p.str(v, where+".password_env") },
			"segment":       func(v *yaml.Node) { cam.Segment = p.segment(v, where+".segment") },
			"audio":         func(v *yaml.Node) { cam.Audio = p.choice(v, where+".audio", "auto", "none") },
			"transport":     func(v *yaml.Node) { cam.Transport = p.choice(v, where+".transport", "tcp", "udp", "auto") },
			"only_active":   func(v *yaml.Node) { cam.OnlyActive = p.boolean(v, where+".only_active") },
			"keep_inactive": func(v *yaml.Node) { cam.KeepInactive = p.duration(v, where+".keep_inactive") },
			"timelapse_every": func(v *yaml.Node) {
				cam.TimelapseEvery, cam.timelapseSet = p.timelapseEvery(v, where+".timelapse_every"), true
			},
		})
		if item.Kind != yaml.MappingNode {
			continue
		}
		switch {
		case cam.Name == "":
			p.errf(item, "%s: name missing", where)
		case !cameraNameRE.MatchString(cam.Name):
			p.errf(p.valueOf(item, "name"), "%s.name %q: use letters, digits, '.', '_' and '-' only (it becomes a folder)", where, cam.Name)
		case seen[strings.ToLower(cam.Name)] > 0:
			// Case too: FAT/exFAT SD cards, Drive and OneDrive fold it,
			// so DOOR and door would share one folder.
			p.errf(p.valueOf(item, "name"), "%s.name %q: already used on line %d (names may not differ only in upper/lower case)", where, cam.Name, seen[strings.ToLower(cam.Name)])
		default:
			seen[strings.ToLower(cam.Name)] = p.valueOf(item, "name").Line
		}
		if _, ok := mapKey(item, "url"); !ok {
			p.errf(item, "%s: url missing (e.g. rtsp://admin@192.168.1.10:554/stream1)", where)
		}
		p.password(item, where, &cam)
		c.Cameras = append(c.Cameras, cam)
	}
}

func (p *parser) cameraURL(v *yaml.Node, where string) string {
	s := p.str(v, where)
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		// url's error quotes the URL, password included.
		p.errf(v, "%s: not a valid URL", where)
	case u.Scheme != "rtsp" && u.Scheme != "rtsps":
		p.errf(v, "%s: want rtsp://host[:port]/path, got scheme %q", where, u.Scheme)
	case u.Host == "":
		p.errf(v, "%s: no host in the URL", where)
	}
	return s
}

// password resolves a camera's password now, so a missing file or variable
// is one more line in the list instead of a recorder failing later.
func (p *parser) password(item *yaml.Node, where string, cam *Camera) {
	if cam.PasswordFile != "" && cam.PasswordEnv != "" {
		p.errf(p.valueOf(item, "password_env"), "%s: set password_file or password_env, not both", where)
		return
	}
	if p.skipSecrets {
		return
	}
	switch {
	case cam.PasswordFile != "":
		b, err := os.ReadFile(cam.PasswordFile)
		if err != nil {
			p.errf(p.valueOf(item, "password_file"), "%s.password_file: %v", where, pathError(err))
			return
		}
		cam.Password = strings.TrimRight(string(b), "\r\n")
		if cam.Password == "" {
			p.errf(p.valueOf(item, "password_file"), "%s.password_file %q is empty", where, cam.PasswordFile)
		}
	case cam.PasswordEnv != "":
		v, ok := os.LookupEnv(cam.PasswordEnv)
		if !ok || v == "" {
			p.errf(p.valueOf(item, "password_env"), "%s.password_env: environment variable %s is not set", where, cam.PasswordEnv)
			return
		}
		cam.Password = v
	}
}

func mapKey(n *yaml.Node, key string) (*yaml.Node, bool) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1], true
		}
	}
	return nil, false
}

func pathError(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return fmt.Sprintf("cannot read %q: %v", pe.Path, pe.Err)
	}
	return err.Error()
}
