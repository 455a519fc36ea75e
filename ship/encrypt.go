package ship

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/operations"

	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/seal"
)

// moveSealed is move for an encrypted archive (Source.Encrypt set): the
// segment is sealed while it streams to the remote (no plaintext copy is
// ever written), rclone verifies the size and hash of what arrived, and
// only then is the local file deleted. Names keep the layout, so prune
// works without the key.
//
// Sealing is randomised, so "already there" cannot compare hashes: an
// object at the name is decrypted and compared with the local file (this
// only happens after a crash or a name clash).
func (s *Shipper) moveSealed(ctx context.Context, src *source, local fs.Object, name string) (remote string, uploaded bool, err error) {
	for n := 0; n < maxCollisions; n++ {
		if remote, err = s.scheme.CollisionPath(name, n); err != nil {
			return "", false, err
		}
		existing, err := src.Dest.NewObject(ctx, remote)
		if errors.Is(err, fs.ErrorObjectNotFound) {
			return remote, true, putSealed(ctx, src.Dest, remote, local, src.Encrypt)
		}
		if err != nil {
			return "", false, err
		}
		v, err := compareSealed(ctx, local, existing, src.Encrypt)
		if err != nil {
			return "", false, err
		}
		switch v {
		case same:
			if fs.GetConfig(ctx).DryRun {
				return remote, false, nil
			}
			return remote, false, local.Remove(ctx)
		case torn:
			s.log.Warn("replacing an incomplete remote copy", "camera", src.Name, "remote", remote,
				"remote_size", existing.Size(), "size", seal.SealedSize(local.Size()))
			return remote, true, putSealed(ctx, src.Dest, remote, local, src.Encrypt)
		}
		s.log.Warn("a different file is already on the remote; keeping both", "camera", src.Name,
			"remote", remote, "remote_size", existing.Size())
	}
	return "", false, fmt.Errorf("%s: %d different files already on the remote under its name", name, maxCollisions)
}

// putSealed streams local through the sealer into the remote. The sealed
// size is known in advance, so rclone uploads it like a file of that size
// (single or multipart), hashes it on the way and removes a copy that
// arrived wrong; then the local file goes.
func putSealed(ctx context.Context, dest fs.Fs, remote string, local fs.Object, a *keys.Archive) error {
	in, err := local.Open(ctx)
	if err != nil {
		return err
	}
	defer in.Close()
	sealed, err := seal.Encrypt(in, a.Key, a.Options())
	if err != nil {
		return err
	}
	size := seal.SealedSize(local.Size())
	if _, err := operations.RcatSize(ctx, dest, remote, io.NopCloser(sealed), size, local.ModTime(ctx), nil); err != nil {
		return err
	}
	if fs.GetConfig(ctx).DryRun {
		return nil
	}
	return local.Remove(ctx)
}

// compareSealed tells whether the sealed object on the remote holds the
// local segment: same (decrypts to it), torn (an upload cut short: what
// decrypts is a prefix of it) or different (another file, another key, or
// not sealed at all).
func compareSealed(ctx context.Context, local, existing fs.Object, a *keys.Archive) (verdict, error) {
	if existing.Size() > seal.SealedSize(local.Size()) {
		return different, nil
	}
	rr, err := existing.Open(ctx)
	if err != nil {
		return different, err
	}
	defer rr.Close()
	lr, err := local.Open(ctx)
	if err != nil {
		return different, err
	}
	defer lr.Close()
	plain, err := seal.Decrypt(rr, a.Key)
	if err != nil {
		return cutShort(err, existing, local), nil
	}
	pb, lb := make([]byte, seal.ChunkSize), make([]byte, seal.ChunkSize)
	for {
		np, ep := io.ReadFull(plain, pb)
		nl, el := io.ReadFull(lr, lb[:np])
		if nl != np || !bytes.Equal(pb[:np], lb[:nl]) {
			return different, noEOF(el)
		}
		switch {
		case ep == io.EOF || ep == io.ErrUnexpectedEOF:
			// The sealed file ended cleanly: same if the local one ends too.
			if n, _ := lr.Read(lb[:1]); n == 0 {
				return same, nil
			}
			return different, nil
		case ep != nil:
			return cutShort(ep, existing, local), nil
		}
	}
}

// cutShort: a sealed object that stops early, shorter than the local
// file's sealed form, is a torn upload; any other failure is another file.
func cutShort(err error, existing, local fs.Object) verdict {
	shorter := existing.Size() < seal.SealedSize(local.Size())
	if shorter && (errors.Is(err, seal.ErrTruncated) || errors.Is(err, seal.ErrDamaged)) {
		return torn
	}
	return different
}
