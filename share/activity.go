package share

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/archive"
	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/seal"
	"github.com/camshare/camshare/internal/sidecar"
)

// What the page and --json learn about a segment beyond its link: its
// activity (from its sidecar, docs/activity.md) and whether it sits in an
// archive storage class that must be restored before it plays (prune
// --cold-after). Read once per segment: a refresh reuses what share.json
// already holds.

// coldTiers are the storage classes whose objects cannot be read without a
// restore first (S3 Glacier Flexible Retrieval and Deep Archive, Azure's
// Archive tier). GLACIER_IR and GCS ARCHIVE read at once: not cold here.
var coldTiers = map[string]bool{"GLACIER": true, "DEEP_ARCHIVE": true, "ARCHIVE": true}

// isCold says whether a listed object needs a restore before it plays.
func isCold(o fs.Object) bool {
	gt, ok := o.(fs.GetTierer)
	if !ok || o == nil {
		return false
	}
	tier := strings.ToUpper(gt.GetTier())
	return coldTiers[tier] && !strings.HasPrefix(fmt.Sprintf("%T", o), "*googlecloudstorage")
}

// describe fills a link's activity and cold flag, reusing old's activity.
// An encrypted archive's sidecars are sealed: a is its key (nil: plain, or
// no key here, and then a sealed sidecar gives no activity).
func describe(ctx context.Context, k *Link, s archive.Segment, old *Link, a *keys.Archive) {
	if s.Object != nil {
		k.Cold = isCold(s.Object)
	}
	if old != nil && old.Activity != nil {
		k.Activity = old.Activity
		return
	}
	if s.Sidecar == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	rc, err := s.Sidecar.Open(ctx)
	if err != nil {
		return // unknown activity: the page shows none
	}
	defer rc.Close()
	var key *seal.Key
	if a != nil {
		key = &a.Key
	}
	if m, err := sidecar.Read(rc, key); err == nil {
		k.Activity = m.Activity
		if k.Activity == nil {
			k.Activity = []int{}
		}
	}
}
