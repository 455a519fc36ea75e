package cmd

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/camshare/camshare/internal/config"
	"github.com/camshare/camshare/internal/service"
)

func newServiceCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "service",
		Short: "Start camshare run at boot (Termux:Boot script or systemd unit)",
		Long: `service install writes a Termux:Boot script (~/.termux/boot/camshare) that takes the
wake lock and starts 'camshare run' with its log in a rotated file, or a systemd unit
with Restart=always for a Pi (a user unit; --system for /etc/systemd/system).
service uninstall removes it. Both only write files; they print what to run next.`,
	}
	c.AddCommand(newServiceInstallCmd(g, true), newServiceInstallCmd(g, false))
	return c
}

func newServiceInstallCmd(g *globals, install bool) *cobra.Command {
	var (
		termux, systemd, system, noWakeLock bool
		cfgPath, runAs                      string
	)
	use, short := "install", "Write the boot script or unit"
	if !install {
		use, short = "uninstall", "Remove the boot script or unit"
	}
	c := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			o, err := serviceOptions(g, termux, systemd, cfgPath)
			if err != nil {
				return err
			}
			o.System, o.WakeLock, o.User = system, !noWakeLock, runAs
			if system && o.User == "" {
				if u, err := user.Current(); err == nil {
					o.User = u.Username
				}
			}
			if !install {
				removed, err := service.Uninstall(o)
				for _, p := range removed {
					fmt.Fprintf(g.stdout, "removed %s\n", p)
				}
				if err == nil && len(removed) == 0 {
					fmt.Fprintln(g.stdout, "nothing installed")
				}
				return err
			}
			if _, err := os.Stat(o.Config); err != nil {
				fmt.Fprintf(g.stderr, "warning: %s does not exist yet (write one with 'camshare init')\n", o.Config)
			}
			files, hints, err := service.Install(o)
			if err != nil {
				return err
			}
			for _, f := range files {
				fmt.Fprintf(g.stdout, "wrote %s\n", f.Path)
			}
			fmt.Fprintln(g.stdout, "next:")
			for _, h := range hints {
				fmt.Fprintf(g.stdout, "  - %s\n", h)
			}
			return nil
		},
	}
	f := c.Flags()
	f.BoolVar(&termux, "termux", false, "Termux:Boot script in ~/.termux/boot/")
	f.BoolVar(&systemd, "systemd", false, "systemd unit (user unit unless --system)")
	f.BoolVar(&system, "system", false, "systemd: system unit in /etc/systemd/system (needs root)")
	f.StringVar(&runAs, "user", "", "systemd --system: user to run as (default: you)")
	f.BoolVar(&noWakeLock, "no-wake-lock", false, "termux: do not take termux-wake-lock")
	f.StringVarP(&cfgPath, "config", "c", "", "camshare config run should use (default $XDG_CONFIG_HOME/camshare/config.yaml)")
	return c
}

// serviceOptions fills what both install and uninstall need. Without
// --termux or --systemd, Termux is recognised by its $PREFIX.
func serviceOptions(g *globals, termux, systemd bool, cfgFlag string) (service.Options, error) {
	var o service.Options
	switch {
	case termux && systemd:
		return o, usagef("choose one of --termux and --systemd")
	case termux:
		o.Kind = "termux"
	case systemd:
		o.Kind = "systemd"
	case service.InTermux() != "":
		o.Kind = "termux"
	default:
		o.Kind = "systemd"
	}
	if o.Kind == "termux" {
		o.Prefix = service.InTermux()
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return o, err
	}
	o.Home = home
	bin, err := os.Executable()
	if err != nil {
		return o, err
	}
	if r, err := filepath.EvalSymlinks(bin); err == nil {
		bin = r
	}
	o.Binary = bin
	path, err := config.Find(cfgFlag)
	if err != nil {
		return o, usageError{err}
	}
	if o.Config, err = filepath.Abs(path); err != nil {
		return o, err
	}
	if g.logFile != "" {
		if o.LogFile, err = filepath.Abs(g.logFile); err != nil {
			return o, err
		}
	}
	if g.dns != "" {
		o.Args = append(o.Args, "--dns", g.dns)
	}
	return o, nil
}
