// Package config reads camshare.yaml: the cameras, the remote and its
// layout, retention, the local cap and the live page. Every mistake in the
// file is reported with its line, all of them at once, before anything
// starts: a person fixing a config by hand on a phone should need one round.
package config

import (
	"fmt"
	"time"

	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/remote"
)

// Config is one parsed, checked camshare.yaml.
type Config struct {
	Path         string // the file it came from
	RcloneConfig string // rclone_config: rclone's config file ("" = the usual search)
	Dir          string // dir: local recordings, one folder per camera
	MaxLocal     int64  // max_local: cap on local footage waiting to ship (0 = none)
	MinFree      int64  // min_free: keep this much disk free (0 = none)
	Remote       string // remote: REMOTE:FOLDER; a camera's footage goes to FOLDER/CAMERA
	Encrypt      bool   // encrypt: seal every segment on the device before upload (docs/encryption.md)
	KeyFile      string // key_file: the archive key ("" = archive.key next to the config)
	Layout       Layout
	Retention    Retention
	Live         Live
	Cameras      []Camera
}

// Layout is the naming scheme under each camera's remote folder.
type Layout struct {
	Name string // strftime name pattern, default layout.DefaultName
	Dir  string // strftime folder pattern, default layout.DefaultDir
	UTC  bool   // names in UTC instead of the local zone
}

// Retention is what the pruner keeps, per camera folder.
type Retention struct {
	Keep    time.Duration // delete footage older than this (0 = keep forever)
	MinKeep int           // always keep the newest N segments (as prune --min-keep)
	MaxSize int64         // cap per camera folder (0 = none)
	Every   time.Duration // how often to prune, default 1h
}

// Live is the family page: an index per camera refreshed after uploads.
type Live struct {
	Enabled bool
	Expire  time.Duration // link lifetime, default 7d
	Window  time.Duration // the page shows the last Window of footage, default 1h
	Title   string
}

// Camera is one camera to record.
type Camera struct {
	Name         string
	URL          string
	Password     string // resolved from PasswordFile or PasswordEnv; never printed
	PasswordFile string
	PasswordEnv  string
	Segment      time.Duration // default 5m
	Audio        string        // auto|none
	Transport    string        // tcp|udp|auto
	// OnlyActive uploads only segments with activity (docs/activity.md);
	// the rest stay local for KeepInactive (0 = ship's default, a day).
	OnlyActive   bool
	KeepInactive time.Duration
	// TimelapseEvery is how often a key frame goes into the day's
	// timelapse (docs/activity.md); 0 = none. Default DefaultTimelapse.
	TimelapseEvery time.Duration
	timelapseSet   bool // given in the file (0 there means off)
	Line           int  // where it is defined, for messages
}

// Defaults.
const (
	DefaultSegment    = 5 * time.Minute
	DefaultPruneEvery = time.Hour
	DefaultExpire     = 7 * 24 * time.Hour
	DefaultWindow     = time.Hour
	// DefaultTimelapse is one picture a minute: a day plays in 48 s.
	DefaultTimelapse = time.Minute
)

// Scheme compiles the layout.
func (c *Config) Scheme() (*layout.Scheme, error) {
	return layout.New(c.Layout.Name, c.Layout.Dir, c.Layout.UTC)
}

// Camera returns the camera with that name.
func (c *Config) Camera(name string) (Camera, bool) {
	for _, cam := range c.Cameras {
		if cam.Name == name {
			return cam, true
		}
	}
	return Camera{}, false
}

// CameraRemote is where a camera's footage goes: FOLDER/CAMERA.
// Camera names are checked when the config is parsed, so the join cannot fail here.
func (c *Config) CameraRemote(name string) string {
	spec, _ := layout.CameraFolder(c.Remote, name)
	return spec
}

// StatusPath is the state file `run` keeps and `status` reads.
func (c *Config) StatusPath() string {
	return c.Dir + "/camshare-status.json"
}

// Errors is every mistake found in a file, each with its line.
type Errors []Mistake

// Mistake is one problem at one line.
type Mistake struct {
	Line int
	Msg  string
}

func (m Mistake) String() string {
	if m.Line > 0 {
		return fmt.Sprintf("line %d: %s", m.Line, m.Msg)
	}
	return m.Msg
}

func (e Errors) Error() string {
	if len(e) == 1 {
		return e[0].String()
	}
	return fmt.Sprintf("%d mistakes, first: %s", len(e), e[0])
}

// SafeRemote is a remote spec as it may be printed (see remote.Printable).
func SafeRemote(spec string) string { return remote.Printable(spec) }
