package cmd

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rclone/rclone/fs"
	"github.com/spf13/cobra"

	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/units"
	"github.com/camshare/camshare/prune"
)

// pruneOptions are prune's flags as the command line gives them.
type pruneOptions struct {
	ro      remote.Options
	o       prune.Options
	names   *schemeFlags
	local   string
	keyFile string
	asJSON  bool
}

func newPruneCmd(g *globals) *cobra.Command {
	po := &pruneOptions{o: prune.Options{Segment: 5 * time.Minute}}
	c := &cobra.Command{
		Use:   "prune REMOTE:FOLDER --keep 30d | --local DIR --keep 2d",
		Short: "Delete footage past retention on a remote or a local folder",
		Long: `Delete every segment whose time (read from its name, not the file date) is older
than --keep, and/or the oldest segments while the archive is over --max-size.
Whole day folders go with one purge each; files that are not segments
(index.html, notes.txt) are never deleted. --local prunes a flat local folder
(no date folders unless --layout is given).

--keep-active keeps segments whose sidecar (NAME.json) shows activity longer
than --keep; segments without one are kept too (unknown activity). An
encrypted archive's sidecars need --key-file. --cold-after moves older kept
segments to a colder storage class (--tier, default GLACIER on S3, Archive on
Azure Blob, ARCHIVE on GCS): one request per segment; archive classes bill a
minimum storage time (90-365 days) and a retrieval before playing.`,
		Example: `  camshare prune gdrive:camera --keep 30d
  camshare prune s3:bucket/cam1 --keep 4w --min-keep 100 --dry-run
  camshare prune --local ./rec --keep 2d --max-size 20GB
  camshare prune s3:bucket/cam1 --keep 7d --keep-active 30d --cold-after 3d --tier STANDARD_IA`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error { return runPrune(c, g, po, args) },
	}
	f := c.Flags()
	o := &po.o
	f.StringVar(&po.local, "local", "", "prune a local folder instead of a remote")
	f.Var(units.DurationVar(&o.Keep), "keep", "retention: delete segments older than this (90m, 36h, 30d, 4w)")
	f.Var(units.DurationVar(&o.KeepActive), "keep-active", "keep segments with activity (or unknown activity) this long, longer than --keep")
	f.Var(units.DurationVar(&o.ColdAfter), "cold-after", "move segments older than this to a colder storage class (S3, Azure Blob, GCS)")
	f.StringVar(&o.Tier, "tier", "", "storage class for --cold-after (default: GLACIER on S3, Archive on Azure, ARCHIVE on GCS)")
	f.StringVar(&po.keyFile, "key-file", "", "archive key, to read an encrypted archive's sidecars for --keep-active")
	f.IntVar(&o.MinKeep, "min-keep", 0, "always keep the newest N segments, whatever their age")
	f.Var(units.SizeVar(&o.MaxSize), "max-size", "cap the archive's size: delete oldest first until under it (20GB, 500MiB)")
	f.Var(units.DurationVar(&o.Segment), "segment", "segment length (--keep below it needs --force)")
	f.BoolVar(&o.Force, "force", false, "allow --keep below one segment length")
	f.BoolVar(&po.asJSON, "json", false, "print the result as JSON")
	po.names = addSchemeFlags(f, true)
	po.ro.AddFlags(f)
	return c
}

// runPrune checks the flags, opens the archive and prunes it once.
func runPrune(c *cobra.Command, g *globals, po *pruneOptions, args []string) error {
	if (po.local == "") == (len(args) == 0) {
		return usagef("prune: give either REMOTE:FOLDER or --local DIR")
	}
	o := po.o
	o.DryRun = po.ro.DryRun
	var err error
	if o.Scheme, err = po.names.scheme(); err != nil {
		return err
	}
	if po.local != "" && !c.Flags().Changed("layout") {
		o.Scheme = o.Scheme.Flat() // the recorder's own folder has no date folders
	}
	if err := o.Check(); err != nil {
		return usagef("prune: %v", err)
	}
	if po.keyFile != "" {
		a, err := keys.Load(po.keyFile)
		if err != nil {
			return fmt.Errorf("prune: --key-file: %w", err)
		}
		o.Key = &a.Key
	}
	if o.Log, err = g.logger(); err != nil {
		return usagef("%v", err)
	}
	ctx, err := g.setupRemote(c.Context(), po.ro, o.Log)
	if err != nil {
		return err
	}
	if o.Dest, err = openPruneTarget(ctx, po.local, args); err != nil {
		return err
	}
	res, err := prune.Run(ctx, o)
	if errors.Is(err, prune.ErrKeepTooShort) {
		return usagef("prune: %v", err)
	}
	if po.asJSON {
		if jerr := writeJSON(c.OutOrStdout(), res.Report(err)); jerr != nil {
			return jerr
		}
	} else {
		fmt.Fprintln(c.OutOrStdout(), summary(res))
	}
	if err != nil {
		return fmt.Errorf("prune: %w", err)
	}
	return nil
}

// openPruneTarget opens REMOTE:FOLDER, or the --local folder.
func openPruneTarget(ctx context.Context, local string, args []string) (fs.Fs, error) {
	if len(args) == 1 {
		return remote.Open(ctx, args[0])
	}
	f, err := remote.OpenLocal(ctx, local)
	if err != nil {
		return nil, fmt.Errorf("--local: %w", err)
	}
	return f, nil
}

// summary is the one line a person reads.
func summary(r prune.Result) string {
	verb := "deleted"
	if r.DryRun {
		verb = "dry run: would delete"
	}
	s := fmt.Sprintf("%s %d files, %s, %d days", verb, r.DeletedFiles, units.FormatSize(r.DeletedBytes), r.Days)
	if r.DeletedFiles > 0 {
		s += fmt.Sprintf(" (oldest %s, newest %s)", r.Oldest.Format("2006-01-02 15:04:05 -0700"), r.Newest.Format("2006-01-02 15:04:05 -0700"))
	}
	s += fmt.Sprintf(" in %s", r.Took.Round(time.Millisecond))
	if r.KeptActive > 0 {
		s += fmt.Sprintf("; kept %d past --keep for activity", r.KeptActive)
	}
	if r.ColdTier != "" {
		s += fmt.Sprintf("; %d moved to %s", r.Cold, r.ColdTier)
	}
	if len(r.Failed) > 0 {
		s += fmt.Sprintf("; %d failed", len(r.Failed))
	}
	return s
}
