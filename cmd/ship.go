package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/units"
	"github.com/camshare/camshare/ship"
)

func newShipCmd(g *globals) *cobra.Command {
	var (
		ro                                  remote.Options
		dir, to, maxLocal, minFree, lay, nm string
		rescan                              string
		once, utc                           bool
		withPage, encrypt                   bool
		kf                                  keyFlags
	)
	c := &cobra.Command{
		Use:   "ship --dir DIR --to REMOTE:FOLDER",
		Short: "Move every closed segment to an rclone remote as soon as it is closed",
		Long: `Watch DIR and move each closed segment (NAME.mp4, never a NAME.tmp still being
written) to REMOTE:FOLDER/YYYYMMDD/HH/NAME.mp4, the date and hour read from the
name. The local file is deleted only after the remote copy is verified (size,
and hash where the remote has one). While the remote is down segments wait
locally and go out in order when it is back; --max-local and --min-free delete
the oldest waiting ones so the disk never fills.

REMOTE is any remote in your rclone config (--config, $RCLONE_CONFIG, an
encrypted config with $RCLONE_CONFIG_PASS) or a connection string such as
:s3,provider=AWS,env_auth=true:bucket/camera.`,
		Example: `  camshare ship --dir ./rec --to gdrive:camera
  camshare ship --dir ./rec --to b2:bucket/cam1 --max-local 20GB --bwlimit 512k
  camshare ship --dir ./rec --to s3:bucket/cam1 --once   # from cron`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if dir == "" || to == "" {
				return usagef("ship: --dir and --to are required")
			}
			o := ship.Options{Once: once}
			var err error
			if maxLocal != "" {
				if o.MaxLocal, err = units.ParseSize(maxLocal); err != nil {
					return usagef("--max-local: %v", err)
				}
			}
			if minFree != "" {
				if o.MinFree, err = units.ParseSize(minFree); err != nil {
					return usagef("--min-free: %v", err)
				}
			}
			if o.Rescan, err = units.ParseDuration(rescan); err != nil || o.Rescan <= 0 {
				return usagef("--rescan %q: want a duration such as 30s", rescan)
			}
			if o.Scheme, err = layout.New(nm, lay, utc); err != nil {
				return usagef("%v", err)
			}
			log, err := g.logger()
			if err != nil {
				return usagef("%v", err)
			}
			o.Log = log
			ro.Verbose = g.log.Verbose
			// The folder first: it is checked without the network.
			if err := ship.CheckDir(dir); err != nil {
				return err
			}
			ctx, err := remote.Setup(c.Context(), ro, log)
			if err != nil {
				return err
			}
			dest, err := remote.Open(ctx, to)
			if err != nil {
				return err
			}
			o.Sources = []ship.Source{{Dir: dir, Dest: dest}}
			if encrypt {
				if o.Sources[0].Encrypt, err = shipKey(g, &kf); err != nil { // ship_encrypt.go
					return err
				}
			}
			if withPage {
				o.OnShipped = updatePage(dest, o.Scheme, log) // share_update.go
			}
			s, err := ship.New(o)
			if err != nil {
				return err
			}
			if err := s.Run(ctx); err != nil {
				return fmt.Errorf("ship: %w", err)
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&dir, "dir", "", "local folder the recorder writes to")
	f.StringVar(&to, "to", "", "rclone remote and folder, REMOTE:FOLDER")
	f.BoolVar(&once, "once", false, "ship what is there and exit (for cron); exit 1 if anything failed")
	f.StringVar(&maxLocal, "max-local", "", "most bytes to keep waiting locally; oldest deleted beyond (e.g. 20GB)")
	f.StringVar(&minFree, "min-free", "", "keep at least this much disk free; oldest waiting deleted below (e.g. 1GB)")
	f.StringVar(&rescan, "rescan", "30s", "rescan the folder this often (catches missed file events)")
	f.StringVar(&lay, "layout", layout.DefaultDir, "folder pattern below REMOTE:FOLDER (strftime)")
	f.StringVar(&nm, "name", layout.DefaultName, "segment name pattern (strftime), as given to record")
	f.BoolVar(&utc, "utc", false, "names are in UTC rather than the local zone, as given to record")
	f.BoolVar(&withPage, "update-page", false, "keep the share page's live index (camshare share --page) up to date after each upload")
	f.BoolVar(&encrypt, "encrypt", false, "encrypt each segment on this device before upload (camshare key show: back up the key)")
	f.StringVar(&kf.keyFile, "key-file", "", "archive key for --encrypt (default: archive.key next to camshare's config; made on first use)")
	ro.AddFlags(f)
	return c
}
