package cmd

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/camshare/camshare/internal/doctor"
	"github.com/camshare/camshare/internal/remote"
)

func newDoctorCmd(g *globals) *cobra.Command {
	var (
		cfgPath string
		ro      remote.Options
		timeout time.Duration
		android bool
	)
	c := &cobra.Command{
		Use:   "doctor",
		Short: "Check cameras, remote, links, clock and disk, with a hint for each problem",
		Long: `doctor checks the set-up in the config the way run will use it: each camera is
asked to DESCRIBE its stream (reachable, credentials, codecs, audio), a probe object is
written to the remote, read back, linked and deleted (reachable, writable, share links),
our clock is compared with the remote's, and free disk is measured. On Android it also
lists the traps that stop long-running processes. Exit 1 when a check fails.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			// A check should answer, not retry for minutes.
			ro.LowLevelRetries = 1
			ctx, cfg, log, err := setupFromConfig(c, g, cfgPath, ro)
			if err != nil {
				return err
			}
			res := doctor.Run(ctx, doctor.Options{Config: cfg, Timeout: timeout, Log: log, Android: android})
			doctor.Print(g.stdout, res)
			n := 0
			for _, r := range res {
				if r.Level == doctor.Fail {
					n++
				}
			}
			if n > 0 {
				return fmt.Errorf("%d check(s) failed", n)
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringVarP(&cfgPath, "config", "c", "", "camshare config (default $XDG_CONFIG_HOME/camshare/config.yaml)")
	ro.AddFlagsBesideConfig(f)
	f.DurationVar(&timeout, "timeout", 10*time.Second, "time allowed for each network check")
	f.BoolVar(&android, "android", false, "also list the Android checks when not detected")
	return c
}
