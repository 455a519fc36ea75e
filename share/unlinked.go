package share

import (
	"context"

	"github.com/rclone/rclone/fs"
)

// Unlinked is share on a remote where it makes no links at all (an rclone
// crypt remote): not an error, but the recordings found there and, in one
// sentence, why none is linked and what to use instead.
type Unlinked struct {
	Remote     string `json:"remote"`
	Backend    string `json:"backend"`
	Links      []Link `json:"links"` // always empty: scripts see "no links", not a missing field
	Recordings []Link `json:"recordings"`
	Why        string `json:"why"`
}

// Unlinkable lists o's selection when o.Dest is a remote share makes no
// links on, with each recording's activity as --json gives it elsewhere
// (URLs empty); nil, nil when o.Dest does make links. An empty selection
// is an EmptyError, as everywhere.
func Unlinkable(ctx context.Context, o Options) (*Unlinked, error) {
	if o.Dest == nil || !inCrypt(o.Dest) {
		return nil, nil
	}
	segs, err := selectFootage(ctx, &o)
	if err != nil {
		return nil, err
	}
	u := &Unlinked{Remote: fs.ConfigString(o.Dest), Backend: "crypt", Links: []Link{}, Why: cryptWhy}
	for i, end := range ends(segs) {
		k := Link{Start: segs[i].Start, End: end, Path: segs[i].Path, Size: segs[i].Size}
		describe(ctx, &k, segs[i], nil)
		u.Recordings = append(u.Recordings, k)
	}
	return u, nil
}
