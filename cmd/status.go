package cmd

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/camshare/camshare/internal/status"
)

func newStatusCmd(g *globals) *cobra.Command {
	var (
		cfgPath, statePath string
		asJSON             bool
		limits             status.Limits
	)
	c := &cobra.Command{
		Use:   "status",
		Short: "Show what camshare run is doing; exit 1 when something is wrong",
		Long: `status reads the state file camshare run keeps up to date (DIR/camshare-status.json)
and prints each camera, the upload queue, the last upload and prune, and free disk.
It exits 1 when something is wrong — a camera down too long, the upload queue not
draining, the disk nearly full, or run not running — so a cron line or a Termux
widget can alert:

  */10 * * * * camshare status >/dev/null || termux-notification -t camshare -c "check cameras"`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			st, err := readStatus(g, cfgPath, statePath, &limits)
			if err != nil {
				if asJSON { // scripts and widgets get an object in every case
					writeStatusJSON(g, statusJSON{State: stateOf(err), Problems: []string{err.Error()}})
				}
				return err
			}
			now := time.Now()
			problems := status.Problems(st, now, limits)
			if asJSON {
				out := statusJSON{State: "ok", stateFile: &st, OK: len(problems) == 0, Problems: append([]string{}, problems...)}
				if !out.OK {
					out.State = "problems"
				}
				if err := writeStatusJSON(g, out); err != nil {
					return err
				}
			} else {
				status.Report(g.stdout, st, now, problems)
			}
			if len(problems) > 0 {
				return fmt.Errorf("%d problem(s): %s", len(problems), strings.Join(problems, "; "))
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringVarP(&cfgPath, "config", "c", "", "camshare config (default $XDG_CONFIG_HOME/camshare/config.yaml)")
	f.StringVar(&statePath, "state", "", "state file to read (default DIR/camshare-status.json from the config)")
	f.BoolVar(&asJSON, "json", false, "print the state as JSON")
	f.DurationVar(&limits.CameraDown, "down-after", 5*time.Minute, "a camera down longer than this is a problem")
	f.DurationVar(&limits.QueueAge, "queue-age", 30*time.Minute, "an unshipped segment older than this is a problem")
	f.DurationVar(&limits.Stale, "stale", 0, "a state file older than this means run is not running (default 3 update intervals)")
	return c
}

// readStatus finds and reads the state file, taking --min-free from the
// config when the state file is found through it.
func readStatus(g *globals, cfgPath, statePath string, limits *status.Limits) (status.State, error) {
	path := statePath
	if path == "" {
		cfg, err := loadConfig(g, cfgPath, false)
		if err != nil {
			return status.State{}, err
		}
		path = cfg.StatusPath()
		if limits.MinFree == 0 {
			limits.MinFree = cfg.MinFree
		}
	}
	return status.Read(path)
}

// statusJSON is what status --json prints, always one object: State is
// "ok", "problems", "never-run" (no state file) or "error".
type statusJSON struct {
	State string `json:"state"`
	*stateFile
	OK       bool     `json:"ok"`
	Problems []string `json:"problems"`
}

// stateFile is the state file's content, inlined in statusJSON.
type stateFile = status.State

func stateOf(err error) string {
	if errors.Is(err, status.ErrNeverRun) {
		return "never-run"
	}
	return "error"
}

func writeStatusJSON(g *globals, v statusJSON) error { return writeJSON(g.stdout, v) }
