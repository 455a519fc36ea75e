package cmd

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/camshare/camshare/internal/archive"
	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/units"
	"github.com/camshare/camshare/share"
	"github.com/camshare/camshare/ship"
)

// shipOptions are ship's flags as the command line gives them.
type shipOptions struct {
	ro        remote.Options
	o         ship.Options
	names     *schemeFlags
	dir, to   string
	withPages bool
	encrypt   bool
	kf        keyFlags

	onlyActive   bool
	keepInactive time.Duration
}

func newShipCmd(g *globals) *cobra.Command {
	so := &shipOptions{o: ship.Options{Rescan: 30 * time.Second}}
	c := &cobra.Command{
		Use:   "ship --dir DIR --to REMOTE:FOLDER",
		Short: "Move every closed segment to an rclone remote as soon as it is closed",
		Long: `Watch DIR and move each closed segment (NAME.mp4, never a NAME.tmp still being
written) to REMOTE:FOLDER/YYYYMMDD/HH/NAME.mp4, the date and hour read from the
name. The local file is deleted only after the remote copy is verified (size,
and hash where the remote has one). While the remote is down segments wait
locally and go out in order when it is back; --max-local and --min-free delete
the oldest waiting ones so the disk never fills. Every live page shared from
the folder (camshare share --page) gains each segment as it lands.

REMOTE is any remote in your rclone config (--config, $RCLONE_CONFIG, an
encrypted config with $RCLONE_CONFIG_PASS) or a connection string such as
:s3,provider=AWS,env_auth=true:bucket/camera.`,
		Example: `  camshare ship --dir ./rec --to gdrive:camera
  camshare ship --dir ./rec --to b2:bucket/cam1 --max-local 20GB --bwlimit 512k
  camshare ship --dir ./rec --to s3:bucket/cam1 --once   # from cron`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error { return runShip(c.Context(), g, so) },
	}
	f := c.Flags()
	o := &so.o
	f.StringVar(&so.dir, "dir", "", "local folder the recorder writes to")
	f.StringVar(&so.to, "to", "", "rclone remote and folder, REMOTE:FOLDER")
	f.BoolVar(&so.onlyActive, "only-active", false, "upload only segments whose sidecar shows activity (or that have none); keep the rest locally")
	f.Var(units.DurationVar(&so.keepInactive), "keep-inactive", "with --only-active: how long segments without activity stay locally (default 24h)")
	f.BoolVar(&o.Once, "once", false, "ship what is there and exit (for cron); exit 1 if anything failed")
	f.BoolVar(&o.Live, "live", false, "near-live view: while a share page watches, upload the segment being recorded in 2 s parts (S3 remotes; while nobody watches: one HEAD every 5 s)")
	f.Var(units.SizeVar(&o.MaxLocal), "max-local", "most bytes to keep waiting locally; oldest deleted beyond (e.g. 20GB)")
	f.Var(units.SizeVar(&o.MinFree), "min-free", "keep at least this much disk free; oldest waiting deleted below (e.g. 1GB)")
	f.Var(units.DurationVar(&o.Rescan), "rescan", "rescan the folder this often (catches missed file events)")
	so.names = addSchemeFlags(f, true)
	f.BoolVar(&so.withPages, "update-pages", true, "keep every live share page of the folder (camshare share --page) fresh after each upload")
	var oldFlag bool
	f.BoolVar(&oldFlag, "update-page", true, "")
	f.MarkDeprecated("update-page", "live pages are kept fresh by default now (--update-pages)")
	f.BoolVar(&so.encrypt, "encrypt", false, "encrypt each segment on this device before upload (camshare key show: back up the key)")
	f.StringVar(&so.kf.keyFile, "key-file", "", "archive key for --encrypt (default: archive.key next to camshare's config; made on first use)")
	so.ro.AddFlags(f)
	return c
}

// runShip checks the flags, the folder (without the network) and the remote,
// then ships until stopped (or once).
func runShip(ctx context.Context, g *globals, so *shipOptions) error {
	if so.dir == "" || so.to == "" {
		return usagef("ship: --dir and --to are required")
	}
	o := so.o
	if o.Rescan <= 0 {
		return usagef("--rescan: want a duration such as 30s")
	}
	var err error
	if o.Scheme, err = so.names.scheme(); err != nil {
		return err
	}
	if o.Log, err = g.logger(); err != nil {
		return usagef("%v", err)
	}
	if err := ship.CheckDir(so.dir); err != nil {
		return err
	}
	if ctx, err = g.setupRemote(ctx, so.ro, o.Log); err != nil {
		return err
	}
	dest, err := remote.Open(ctx, so.to)
	if err != nil {
		return err
	}
	src := ship.Source{Dir: so.dir, Dest: dest, OnlyActive: so.onlyActive, KeepInactive: so.keepInactive}
	if so.encrypt {
		if src.Encrypt, err = shipKey(g, &so.kf); err != nil { // ship_encrypt.go
			return err
		}
	}
	o.Sources = []ship.Source{src}
	var pages *share.Keeper
	if so.withPages {
		// Every live page of the folder follows the uploads (share's rules).
		pages = &share.Keeper{Dest: dest, Scheme: o.Scheme, Log: o.Log, Seal: src.Encrypt}
		o.OnShipped = func(_ context.Context, s ship.Shipped) {
			pages.Note(archive.Segment{Path: s.Remote, Start: s.Start, Size: s.Size})
		}
	}
	s, err := ship.New(o)
	if err != nil {
		return err
	}
	return shipAndKeep(ctx, s, pages)
}

// shipAndKeep runs the shipper and, beside it, the keeper of the folder's
// live pages; the keeper catches up once more when ship stops (--once).
func shipAndKeep(ctx context.Context, s *ship.Shipper, pages *share.Keeper) error {
	if pages == nil {
		if err := s.Run(ctx); err != nil {
			return fmt.Errorf("ship: %w", err)
		}
		return nil
	}
	kctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { pages.Run(kctx); close(done) }()
	err := s.Run(ctx)
	stop()
	<-done
	last, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	pages.Flush(last)
	if err != nil {
		return fmt.Errorf("ship: %w", err)
	}
	return nil
}
