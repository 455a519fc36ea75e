package prune

import (
	"context"
	"errors"
	"path"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/layout"
)

// SweepLive deletes near-live parts (internal/live) left behind below
// dest/live/: a segment's parts normally go seconds after it ships, but a
// crash or an outage can leave them. A parts folder goes once its segment
// started more than two segment lengths and a quarter of an hour ago: by
// then no page plays it from parts (it has shipped, or the page finishes it
// from the closed segment). It lists live/ once; with no live/ it costs that
// one listing. It returns the folders removed.
func SweepLive(ctx context.Context, dest fs.Fs, scheme *layout.Scheme, segment time.Duration, now time.Time, dryRun bool) (int, error) {
	if scheme == nil {
		scheme = layout.Default()
	}
	if segment <= 0 {
		segment = 5 * time.Minute
	}
	entries, err := dest.List(ctx, layout.LiveDir)
	if errors.Is(err, fs.ErrorDirNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	before := now.Add(-2*segment - 15*time.Minute)
	swept := 0
	var errs []error
	for _, e := range entries {
		d, ok := e.(fs.Directory)
		if !ok {
			continue
		}
		name, ok := scheme.LiveSegment(d.Remote() + "/x")
		if !ok {
			continue
		}
		if start, ok := scheme.Time(path.Base(name)); !ok || !start.Before(before) {
			continue
		}
		if !dryRun {
			if err := purgeDir(ctx, dest, d.Remote()); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		swept++
	}
	return swept, errors.Join(errs...)
}

// purgeDir deletes every object of a parts folder, then the folder.
func purgeDir(ctx context.Context, f fs.Fs, dir string) error {
	entries, err := f.List(ctx, dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		if o, ok := e.(fs.Object); ok {
			if err := o.Remove(ctx); err != nil {
				errs = append(errs, err)
			}
		}
	}
	_ = f.Rmdir(ctx, dir) // nothing to do on S3; empties it elsewhere
	return errors.Join(errs...)
}
