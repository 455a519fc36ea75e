package ship

import (
	"context"
	"strings"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/remote"
)

// OpenDest opens a camera's remote folder for shipping. It is remote.Open
// with a trailing slash: that tells bucket backends (S3, B2, GCS, Swift…) the
// root is a folder, so they skip the "is it a file?" request that, with the
// network down at boot, would fail and make the folder look like a file.
// The shipper must start with the remote down and ship once it is back.
// Backends that look their root up on opening (Drive, OneDrive…) still need
// the network here.
func OpenDest(ctx context.Context, spec string) (fs.Fs, error) {
	if spec != "" && !strings.HasSuffix(spec, "/") && !strings.HasSuffix(spec, ":") {
		spec += "/"
	}
	return remote.Open(ctx, spec)
}
