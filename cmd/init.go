package cmd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/camshare/camshare/internal/config"
	"github.com/camshare/camshare/internal/remote"
)

func newInitCmd(g *globals) *cobra.Command {
	var (
		cfgPath string
		force   bool
	)
	c := &cobra.Command{
		Use:   "init",
		Short: "Write a commented example config to edit",
		Long: `init writes a commented example camshare.yaml (default
$XDG_CONFIG_HOME/camshare/config.yaml) to edit, then check with 'camshare doctor'.
It never overwrites an existing file without --force.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			path, err := config.Find(cfgPath)
			if err != nil {
				return usageError{err}
			}
			if err := config.WriteExample(path, force); err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "wrote %s\nedit it, then run: camshare doctor%s\n", path, configArg(cfgPath))
			return nil
		},
	}
	c.Flags().StringVarP(&cfgPath, "config", "c", "", "where to write (default $XDG_CONFIG_HOME/camshare/config.yaml)")
	c.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	return c
}

func configArg(path string) string {
	if path == "" {
		return ""
	}
	return " --config " + path
}

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
