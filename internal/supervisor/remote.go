package supervisor

import (
	"context"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/remote"
)

// openRemote opens a camera's remote folder; remote.Open works with the
// remote down (the shipper then ships once it is back) and keeps
// connection-string keys out of its errors.
func openRemote(ctx context.Context, spec string) (fs.Fs, error) {
	return remote.Open(ctx, spec)
}
