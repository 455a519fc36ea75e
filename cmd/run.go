package cmd

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/camshare/camshare/internal/config"
	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/resolver"
	supervisor "github.com/camshare/camshare/internal/supervisor"
)

func newRunCmd(g *globals) *cobra.Command {
	var (
		cfgPath  string
		ro       remote.Options
		interval time.Duration
	)
	c := &cobra.Command{
		Use:   "run",
		Short: "Record every camera in the config, ship, prune and share, supervised",
		Long: `run does everything camshare.yaml asks in one process: a recorder per camera
(DIR/CAMERA/), one shipper moving closed segments to REMOTE:FOLDER/CAMERA/, a pruner
every hour, and each camera's live page refreshed after every upload. A camera that
is down or misconfigured never stops the others.

Signals: SIGINT/SIGTERM close every open segment and exit 0; SIGHUP re-reads the config
and starts/stops only the cameras that changed. State for 'camshare status' is kept in
DIR/camshare-status.json.

The config is --config, else $XDG_CONFIG_HOME/camshare/config.yaml (write one with
'camshare init'). A config with mistakes lists every one, with its line, and starts nothing.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			ctx, cfg, log, err := setupFromConfig(c, g, cfgPath, ro)
			if err != nil {
				return err
			}
			// Worth a line in a phone's log: lookups are the first thing
			// to fail on Android.
			if ch, err := resolver.Choose(g.dns); err == nil && len(ch.Servers) > 0 {
				log.Info("name servers", "servers", ch.Servers, "from", ch.Source)
			}
			sup, err := supervisor.New(supervisor.Options{Config: cfg, Log: log, Version: version, Interval: interval})
			if err != nil {
				return err
			}
			stop := reloadOnHangup(ctx, g, cfg.Path, log, sup)
			defer stop()
			go releaseStartupPages(ctx, startupOver)
			return sup.Run(ctx)
		},
	}
	f := c.Flags()
	f.StringVarP(&cfgPath, "config", "c", "", "camshare config (default $XDG_CONFIG_HOME/camshare/config.yaml)")
	ro.AddFlagsBesideConfig(f, remote.FlagBwLimit, remote.FlagTransfers, remote.FlagLowLevelRetries)
	f.DurationVar(&interval, "status-interval", 5*time.Second, "how often the status file is rewritten")
	return c
}

// reloadOnHangup re-reads the config on SIGHUP. A config with mistakes is
// logged line by line and the running one kept.
func reloadOnHangup(ctx context.Context, g *globals, path string, log *slog.Logger, sup *supervisor.Supervisor) (stop func()) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-done:
				return
			case <-hup:
				cfg, err := config.Load(path)
				if errs, ok := err.(config.Errors); ok {
					for _, m := range errs {
						log.Error(fmt.Sprintf("config %s:%s", path, lineSuffix(m)))
					}
					log.Error("config not reloaded: fix the mistakes above and send SIGHUP again")
					continue
				}
				if err != nil {
					log.Error("config not reloaded", "err", err)
					continue
				}
				log.Info("reloading config", "path", path)
				sup.Reload(cfg)
			}
		}
	}()
	return func() {
		signal.Stop(hup)
		close(done)
	}
}
