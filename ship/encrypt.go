package ship

import (
	"bytes"
	"context"
	"errors"
	"io"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/operations"

	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/seal"
)

// sealedTransfer is move for an encrypted archive (Source.Encrypt set): the
// segment is sealed while it streams to the remote (no plaintext copy is
// ever written), rclone verifies the size and hash of what arrived, and
// only then is the local file deleted. Names keep the layout, so prune
// works without the key.
//
// Sealing is randomised, so "already there" cannot compare hashes: an
// object at the name is decrypted and compared with the local file (this
// only happens after a crash or a name clash).
type sealedTransfer struct{ archive *keys.Archive }

func (t sealedTransfer) put(ctx context.Context, dest fs.Fs, _ fs.Object, remote string, local fs.Object) error {
	return putSealed(ctx, dest, remote, local, t.archive)
}

func (t sealedTransfer) compare(ctx context.Context, local, existing fs.Object) (verdict, error) {
	return compareSealed(ctx, local, existing, t.archive)
}

func (sealedTransfer) remoteSize(local fs.Object) int64 { return seal.SealedSize(local.Size()) }

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
