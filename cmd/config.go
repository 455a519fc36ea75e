package cmd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/camshare/camshare/internal/config"
	"github.com/camshare/camshare/internal/remote"
	"github.com/spf13/cobra"
)

// How every command driven by camshare.yaml starts (run, doctor, status,
// service): find and load the file, list each mistake, then rclone.

// loadConfig finds and loads camshare's config. A file with mistakes has
// every one printed on its own line to stderr; the returned error is the
// one-line summary.
func loadConfig(g *globals, flag string, secrets bool) (*config.Config, error) {
	path, err := config.Find(flag)
	if err != nil {
		return nil, usageError{err}
	}
	load := config.LoadWithoutSecrets
	if secrets {
		load = config.Load
	}
	cfg, err := load(path)
	var errs config.Errors
	if errors.As(err, &errs) {
		for _, m := range errs {
			fmt.Fprintf(g.stderr, "%s:%s\n", path, lineSuffix(m))
		}
		return nil, usageError{fmt.Errorf("config %s: %d mistake(s), nothing started", path, len(errs))}
	}
	return cfg, err
}

// setupFromConfig is how commands driven by camshare.yaml start: the
// logger, the config (every mistake listed), then rclone with the file's
// rclone_config unless --rclone-config said otherwise.
func setupFromConfig(c *cobra.Command, g *globals, cfgPath string, ro remote.Options) (context.Context, *config.Config, *slog.Logger, error) {
	log, err := g.logger()
	if err != nil {
		return nil, nil, nil, usageError{err}
	}
	cfg, err := loadConfig(g, cfgPath, true)
	if err != nil {
		return nil, nil, nil, err
	}
	if ro.ConfigPath == "" {
		ro.ConfigPath = cfg.RcloneConfig
	}
	ctx, err := g.setupRemote(c.Context(), ro, log)
	if err != nil {
		return nil, nil, nil, err
	}
	return ctx, cfg, log, nil
}

func lineSuffix(m config.Mistake) string {
	if m.Line > 0 {
		return fmt.Sprintf("%d: %s", m.Line, m.Msg)
	}
	return " " + m.Msg
}
