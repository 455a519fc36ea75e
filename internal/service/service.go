// Package service writes the files that start `camshare run` at boot and
// keep it running: a Termux:Boot script on Android, a systemd unit on a Pi.
// It only writes and removes files; it never runs anything (the printed
// hints say what to run), so it is safe to call anywhere and easy to test.
package service

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Options say what to install where.
type Options struct {
	Kind     string   // "termux" or "systemd"
	System   bool     // systemd: /etc/systemd/system instead of the user's units
	User     string   // systemd --system: the user to run as
	Binary   string   // absolute path of camshare
	Config   string   // absolute path of camshare.yaml
	LogFile  string   // --log-file for run ("" = a default next to the config)
	Args     []string // more flags for run, e.g. --dns 1.1.1.1
	EnvFile  string   // optional KEY=value file for camera passwords ("" = default)
	Home     string   // $HOME
	Prefix   string   // Termux $PREFIX ("" = /data/data/com.termux/files/usr)
	WakeLock bool     // termux: take termux-wake-lock before starting
}

// File is one file to write.
type File struct {
	Path    string
	Content string
	Mode    os.FileMode
}

// TermuxPrefix is Termux's usual $PREFIX.
const TermuxPrefix = "/data/data/com.termux/files/usr"

// Files returns what Install would write, and the hints to print after.
func Files(o Options) ([]File, []string, error) {
	if err := o.check(); err != nil {
		return nil, nil, err
	}
	switch o.Kind {
	case "termux":
		return termuxFiles(o)
	case "systemd":
		return systemdFiles(o)
	}
	return nil, nil, fmt.Errorf("unknown service kind %q (want --termux or --systemd)", o.Kind)
}

func (o *Options) check() error {
	if o.Home == "" {
		return errors.New("no home folder")
	}
	if !filepath.IsAbs(o.Binary) || !filepath.IsAbs(o.Config) {
		return fmt.Errorf("binary %q and config %q must be absolute paths", o.Binary, o.Config)
	}
	if o.LogFile == "" {
		o.LogFile = filepath.Join(filepath.Dir(o.Config), "camshare.log")
	}
	if o.EnvFile == "" {
		o.EnvFile = filepath.Join(filepath.Dir(o.Config), "env")
	}
	if o.Prefix == "" {
		o.Prefix = TermuxPrefix
	}
	return nil
}

// runArgs is the command line both kinds start.
func (o Options) runArgs() []string {
	args := []string{o.Binary, "run", "--config", o.Config, "--log-file", o.LogFile}
	return append(args, o.Args...)
}

// Install writes the files (creating folders) and returns the hints.
func Install(o Options) ([]File, []string, error) {
	files, hints, err := Files(o)
	if err != nil {
		return nil, nil, err
	}
	for _, f := range files {
		if err := os.MkdirAll(filepath.Dir(f.Path), 0o755); err != nil {
			return nil, nil, err
		}
		if err := os.WriteFile(f.Path, []byte(f.Content), f.Mode); err != nil {
			return nil, nil, err
		}
		// WriteFile keeps an existing file's mode; the script must run.
		if err := os.Chmod(f.Path, f.Mode); err != nil {
			return nil, nil, err
		}
	}
	return files, hints, nil
}

// Uninstall removes what Install wrote; a file already gone is fine.
func Uninstall(o Options) ([]string, error) {
	files, _, err := Files(o)
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, f := range files {
		err := os.Remove(f.Path)
		switch {
		case err == nil:
			removed = append(removed, f.Path)
		case !errors.Is(err, os.ErrNotExist):
			return removed, err
		}
	}
	return removed, nil
}

// shQuote quotes s for sh when it needs it.
func shQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-=:,+@%", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
