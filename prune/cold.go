package prune

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/rclone/rclone/fs"
)

// defaultTiers is the class --cold-after moves to when --tier is not given,
// by backend: the archive classes the stories ask for (S3 Glacier Flexible
// Retrieval, Azure's Archive tier, GCS Archive). Other backends with classes
// need --tier.
var defaultTiers = map[string]string{
	"*s3.Fs":                 "GLACIER",
	"*azureblob.Fs":          "Archive",
	"*googlecloudstorage.Fs": "ARCHIVE",
}

// ErrNoTiers: the backend has no storage classes.
var ErrNoTiers = errors.New("this remote has no storage classes to move old footage to (S3 and S3-compatibles with classes, Azure Blob and Google Cloud Storage have them)")

// coldTier is the class old footage goes to on f, or why there is none.
func coldTier(f fs.Fs, tier string) (string, error) {
	if !f.Features().SetTier {
		return "", fmt.Errorf("--cold-after: %w", ErrNoTiers)
	}
	if tier != "" {
		return tier, nil
	}
	if t, ok := defaultTiers[fmt.Sprintf("%T", f)]; ok {
		return t, nil
	}
	return "", errors.New("--cold-after: this remote's storage classes have no default here; name one with --tier")
}

// chill moves the kept segments older than the cold cut to the cold class:
// one request per segment (on S3 a copy of the object onto itself with the
// new class), skipped for segments already in it (the listing says, where
// the backend reports a class). Sidecars stay where they are: they are tiny
// and read by prune and share.
func (p *plan) chill(ctx context.Context, res *Result) error {
	tier, err := coldTier(p.o.Dest, p.o.Tier)
	if err != nil {
		return err
	}
	res.ColdTier = tier
	var objs []fs.Object
	for _, u := range p.units {
		for _, seg := range u.tree.Segments {
			if !u.doomed[seg.Path] && seg.Start.Before(p.coldCut) && !inTier(seg.Object, tier) {
				objs = append(objs, seg.Object)
			}
		}
	}
	if p.o.DryRun {
		res.Cold = len(objs)
		return nil
	}
	var mu sync.Mutex
	var failed []string
	inParallel(ctx, len(objs), func(i int) {
		o := objs[i]
		st, ok := o.(fs.SetTierer)
		err := errors.New("object cannot change class")
		if ok {
			err = st.SetTier(tier)
		}
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			p.o.Log.Error("prune: moving to the cold class failed", "path", o.Remote(), "tier", tier, "err", err)
			failed = append(failed, o.Remote())
			return
		}
		res.Cold++
	})
	if len(failed) > 0 {
		res.Failed = append(res.Failed, failed...)
		return fmt.Errorf("could not move %d to %s: %s", len(failed), tier, joinShort(failed, 5))
	}
	return nil
}

func inTier(o fs.Object, tier string) bool {
	gt, ok := o.(fs.GetTierer)
	return ok && strings.EqualFold(gt.GetTier(), tier)
}
