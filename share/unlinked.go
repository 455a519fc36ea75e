package share

import (
	"context"

	"github.com/rclone/rclone/fs"
)

// Unlinked is share where it makes no links at all: an rclone crypt
// remote, or an encrypted archive without --page. Not an error, but the
// recordings found there and, in one sentence, why none is linked and what
// to use instead.
type Unlinked struct {
	Remote     string `json:"remote"`
	Backend    string `json:"backend"`
	Links      []Link `json:"links"` // always empty: scripts see "no links", not a missing field
	Recordings []Link `json:"recordings"`
	Why        string `json:"why"`
}

// sealedWhy is what share says for links to an encrypted archive's recordings.
const sealedWhy = "the archive is encrypted: links to single recordings would open ciphertext; use --page, whose link carries the key"

// Unlinkable lists o's selection when share makes no links for it (a crypt
// remote; an encrypted archive, o.Seal, unless page), with each
// recording's activity as --json gives it elsewhere (URLs empty); nil, nil
// when share does make links. An empty selection is an EmptyError, as
// everywhere.
func Unlinkable(ctx context.Context, o Options, page bool) (*Unlinked, error) {
	if o.Dest == nil {
		return nil, nil
	}
	u := &Unlinked{Remote: fs.ConfigString(o.Dest), Backend: backendName(o.Dest), Links: []Link{}}
	switch {
	case inCrypt(o.Dest):
		u.Backend, u.Why = "crypt", cryptWhy
	case o.Seal != nil && !page:
		u.Why = sealedWhy
	default:
		return nil, nil
	}
	found, err := selectFootage(ctx, &o)
	if err != nil {
		return nil, err
	}
	segs := found.Segments
	for i, end := range ends(segs) {
		k := Link{Start: segs[i].Start, End: end, Path: segs[i].Path, Size: segs[i].Size}
		describe(ctx, &k, segs[i], nil, o.Seal)
		u.Recordings = append(u.Recordings, k)
	}
	return u, nil
}
