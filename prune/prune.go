// Package prune deletes footage past retention from a camera archive, on a
// remote or a local folder. Times come from the segment names (layout),
// never from modification times, so an archive made by the hand-made
// ffmpeg/rclone set-up is pruned the same way as camshare's own.
//
// Cost grows with the days kept, not the files: day folders wholly older
// than the cut-off go with one purge each; only the boundary days are
// deleted file by file.
package prune

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/seal"
	"github.com/camshare/camshare/internal/units"
)

// Options say what to prune and how much to keep.
type Options struct {
	Dest   fs.Fs          // remote archive root (FOLDER or FOLDER/CAMERA), opened by the caller
	Scheme *layout.Scheme // nil = layout.Default(); a flat local folder uses a scheme with no folder levels
	Keep   time.Duration  // retention; 0 = no age limit (only MaxSize)
	// KeepActive keeps segments whose sidecar shows activity this long
	// (longer than Keep; 0 = no difference). A segment past Keep with no
	// sidecar, or one that cannot be read, is kept too: unknown is not
	// "nothing happened".
	KeepActive time.Duration
	Key        *seal.Key // opens sealed sidecars (an encrypted archive) for KeepActive
	// ColdAfter moves segments older than this (and kept) to a colder
	// storage class, Tier ("" = the backend's archive class), where the
	// backend has classes; 0 = never.
	ColdAfter time.Duration
	Tier      string
	MinKeep   int           // always keep the newest N segments
	MaxSize   int64         // cap on total bytes of segments; delete oldest first until under; 0 = none
	Segment   time.Duration // segment length, for the "Keep below one segment needs Force" check
	Force     bool
	DryRun    bool
	Now       func() time.Time // nil = time.Now (tests)
	Log       *slog.Logger
}

// Result says what was deleted (or, with DryRun, what would be).
type Result struct {
	DeletedFiles   int
	DeletedBytes   int64
	Days           int       // calendar days (in the scheme's zone) the deleted footage spans
	Oldest, Newest time.Time // start of the oldest and newest deleted segment
	KeptActive     int       // segments past Keep kept for their activity (or unknown activity) by KeepActive
	Cold           int       // segments moved to the cold class this run (ColdAfter)
	ColdTier       string    // that class
	Failed         []string  // paths (files or folders) whose delete failed
	Took           time.Duration
	DryRun         bool
}

// ErrKeepTooShort is returned when Keep is below one segment without Force:
// it would delete the segment being recorded as soon as it ships.
var ErrKeepTooShort = errors.New("retention below one segment length")

// Check reports options that make no sense, before anything is listed.
func (o Options) Check() error {
	switch {
	case o.Keep < 0 || o.MinKeep < 0 || o.MaxSize < 0:
		return errors.New("retention, minimum kept and maximum size must not be negative")
	case o.Keep == 0 && o.MaxSize == 0 && o.ColdAfter == 0:
		return errors.New("nothing to prune by: give a retention (--keep), a size cap (--max-size) or --cold-after")
	case o.KeepActive < 0 || o.ColdAfter < 0:
		return errors.New("--keep-active and --cold-after must not be negative")
	case o.KeepActive > 0 && (o.Keep == 0 || o.KeepActive <= o.Keep):
		return errors.New("--keep-active must be longer than --keep (it keeps active footage past the shorter cut)")
	case o.Keep > 0 && o.Keep < o.Segment && !o.Force:
		return fmt.Errorf("%w: keeping %s with %s segments deletes footage as soon as it is recorded (use --force if you mean it)",
			ErrKeepTooShort, units.FormatDuration(o.Keep), units.FormatDuration(o.Segment))
	}
	return nil
}

// Run prunes the archive once. Deletes that fail are named in
// Result.Failed and make the error non-nil; the rest still happen.
func Run(ctx context.Context, o Options) (Result, error) {
	began := time.Now()
	if err := o.Check(); err != nil {
		return Result{}, err
	}
	if o.Dest == nil {
		return Result{}, errors.New("no archive to prune")
	}
	if o.Scheme == nil {
		o.Scheme = layout.Default()
	}
	if o.ColdAfter > 0 {
		if _, err := coldTier(o.Dest, o.Tier); err != nil {
			return Result{DryRun: o.DryRun}, err
		}
	}
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	var cutoff, activeCut time.Time
	if o.Keep > 0 {
		cutoff = now().Add(-o.Keep)
	}
	if o.KeepActive > 0 {
		activeCut = now().Add(-o.KeepActive)
	}

	p := &plan{o: o, s: o.Scheme, cutoff: cutoff, activeCut: activeCut}
	if o.ColdAfter > 0 {
		p.coldCut = now().Add(-o.ColdAfter)
	}
	if err := p.list(ctx); err != nil {
		return Result{DryRun: o.DryRun, Took: time.Since(began)}, err
	}
	p.doom(ctx)
	res := p.execute(ctx)
	res.KeptActive = p.keptActive
	if !p.coldCut.IsZero() {
		if err := p.chill(ctx, &res); err != nil {
			res.DryRun = o.DryRun
			res.Took = time.Since(began)
			return res, err
		}
	}
	res.DryRun = o.DryRun
	res.Took = time.Since(began)
	if len(res.Failed) > 0 {
		return res, fmt.Errorf("could not delete (or list) %d: %s", len(res.Failed), joinShort(res.Failed, 5))
	}
	return res, nil
}

// joinShort names the first n items and counts the rest.
func joinShort(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}
