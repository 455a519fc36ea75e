package ship

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/hash"
	"github.com/rclone/rclone/fs/operations"
)

// errGone: the local file vanished (the cap, or a person, deleted it).
var errGone = errors.New("local file gone")

// maxCollisions bounds the search for a free STEM_N name.
const maxCollisions = 100

// move ships one segment: it finds where it goes, copies it there, has rclone
// verify the copy (size, and hash where both sides have one) and only then
// deletes the local file. It returns the remote path used and whether bytes
// were uploaded (false: an identical copy was already there).
//
// A different file already at the remote path is never overwritten; the
// segment goes to STEM_1.mp4 (then _2 …) in the same folder. The one
// exception is a torn copy, a strict prefix of the local file, left by an
// upload that was killed on a backend that writes in place: the retry
// replaces it.
func (s *Shipper) move(ctx context.Context, src *source, name string) (remote string, uploaded bool, err error) {
	if seg, ok := s.scheme.SidecarOf(name); ok {
		remote, err := s.moveOrphanSidecar(ctx, src, name, seg)
		return remote, true, err
	}
	if day, closed, ok := s.scheme.TimelapseOfLocal(name); ok && closed {
		remote, err := s.moveTimelapse(ctx, src, name, day)
		return remote, true, err
	}
	local, err := src.local.NewObject(ctx, name)
	if errors.Is(err, fs.ErrorObjectNotFound) {
		return "", false, errGone
	}
	if err != nil {
		return "", false, err
	}
	t := transferFor(src)
	for n := 0; n < maxCollisions; n++ {
		if remote, err = s.scheme.CollisionPath(name, n); err != nil {
			return "", false, err
		}
		existing, err := src.Dest.NewObject(ctx, remote)
		if errors.Is(err, fs.ErrorObjectNotFound) {
			return remote, true, s.withSidecar(ctx, src, t, name, remote, func() error { return t.put(ctx, src.Dest, nil, remote, local) })
		}
		if err != nil {
			return "", false, err
		}
		v, err := t.compare(ctx, local, existing)
		if err != nil {
			return "", false, err
		}
		switch v {
		case same:
			if fs.GetConfig(ctx).DryRun {
				return remote, false, nil
			}
			return remote, false, s.withSidecar(ctx, src, t, name, remote, func() error { return local.Remove(ctx) })
		case torn:
			s.log.Warn("replacing an incomplete remote copy", "camera", src.Name, "remote", remote,
				"remote_size", existing.Size(), "size", t.remoteSize(local))
			return remote, true, s.withSidecar(ctx, src, t, name, remote, func() error { return t.put(ctx, src.Dest, existing, remote, local) })
		}
		s.log.Warn("a different file is already on the remote; keeping both", "camera", src.Name,
			"remote", remote, "remote_size", existing.Size(), "size", t.remoteSize(local))
	}
	return "", false, fmt.Errorf("%s: %d different files already on the remote under its name", name, maxCollisions)
}

// transfer is how a segment's bytes reach the remote: as they are, or
// sealed (encrypt.go). The collision rules above are the same for both.
type transfer interface {
	put(ctx context.Context, dest fs.Fs, existing fs.Object, remote string, local fs.Object) error
	compare(ctx context.Context, local, existing fs.Object) (verdict, error)
	remoteSize(local fs.Object) int64 // what a complete remote copy weighs
}

func transferFor(src *source) transfer {
	if src.Encrypt != nil {
		return sealedTransfer{src.Encrypt}
	}
	return plainTransfer{}
}

type plainTransfer struct{}

func (plainTransfer) put(ctx context.Context, dest fs.Fs, existing fs.Object, remote string, local fs.Object) error {
	return moveTo(ctx, dest, existing, remote, local)
}

func (plainTransfer) compare(ctx context.Context, local, existing fs.Object) (verdict, error) {
	return compare(ctx, local, existing)
}

func (plainTransfer) remoteSize(local fs.Object) int64 { return local.Size() }

// moveTo is rclone's move of one object (what `rclone moveto` does): copy,
// verify size and common hash (a mismatch deletes the bad copy and fails),
// then delete the source; or a server-side move where the remote can. dst is
// what is to be replaced at remote, nil for nothing; passing what move
// already looked up saves rclone asking the remote again.
func moveTo(ctx context.Context, fdst fs.Fs, dst fs.Object, remote string, src fs.Object) error {
	_, err := operations.MoveTransfer(ctx, fdst, dst, remote, src)
	return err
}

type verdict int

const (
	different verdict = iota
	same
	torn // the remote holds a strict prefix of the local file
)

// compare tells whether the remote object is the local segment. Equal sizes
// compare by hash when both sides have a common one, else by content; a
// shorter remote object is torn if its bytes are the local file's first ones.
func compare(ctx context.Context, local, remote fs.Object) (verdict, error) {
	ls, rs := local.Size(), remote.Size()
	switch {
	case rs == ls:
		if ht := local.Fs().Hashes().Overlap(remote.Fs().Hashes()).GetOne(); ht != hash.None {
			lh, err := local.Hash(ctx, ht)
			if err != nil {
				return different, err
			}
			rh, err := remote.Hash(ctx, ht)
			if err != nil {
				return different, err
			}
			if lh != "" && rh != "" {
				if lh == rh {
					return same, nil
				}
				return different, nil
			}
		}
		eq, err := samePrefix(ctx, local, remote, ls)
		if eq {
			return same, err
		}
		return different, err
	case rs >= 0 && rs < ls:
		eq, err := samePrefix(ctx, local, remote, rs)
		if eq {
			return torn, err
		}
		return different, err
	}
	return different, nil
}

// samePrefix compares the first n bytes of both objects. It downloads the
// remote one, which only happens after a crash or a name clash.
func samePrefix(ctx context.Context, a, b fs.Object, n int64) (bool, error) {
	ra, err := a.Open(ctx)
	if err != nil {
		return false, err
	}
	defer ra.Close()
	rb, err := b.Open(ctx)
	if err != nil {
		return false, err
	}
	defer rb.Close()
	ba, bb := make([]byte, 64<<10), make([]byte, 64<<10)
	la, lb := io.LimitReader(ra, n), io.LimitReader(rb, n)
	for {
		na, ea := io.ReadFull(la, ba)
		nb, eb := io.ReadFull(lb, bb)
		if na != nb || !bytes.Equal(ba[:na], bb[:nb]) {
			return false, nil
		}
		if ea != nil || eb != nil {
			if (ea == io.EOF || ea == io.ErrUnexpectedEOF) && (eb == io.EOF || eb == io.ErrUnexpectedEOF) {
				return true, nil
			}
			return false, errors.Join(noEOF(ea), noEOF(eb))
		}
	}
}

func noEOF(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return nil
	}
	return err
}
