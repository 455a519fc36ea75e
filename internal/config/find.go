package config

import (
	"errors"
	"os"
	"path/filepath"
)

// DefaultPath is where camshare looks without --config:
// $XDG_CONFIG_HOME/camshare/config.yaml, else ~/.config/camshare/config.yaml.
func DefaultPath() (string, error) {
	if x := os.Getenv("XDG_CONFIG_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "camshare", "config.yaml"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", errors.New("no home folder to find the config in: pass --config FILE")
	}
	return filepath.Join(home, ".config", "camshare", "config.yaml"), nil
}

// Find returns flag when given, else DefaultPath.
func Find(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	return DefaultPath()
}
