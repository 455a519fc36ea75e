package run

import (
	"context"
	"errors"
	"strings"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/config"
	"github.com/camshare/camshare/remote"
)

// openRemote opens spec; its errors quote the spec, whose connection-string
// parameters may hold keys, so they get the printable form instead.
func openRemote(ctx context.Context, spec string) (fs.Fs, error) {
	f, err := remote.Open(ctx, spec)
	if err != nil {
		if safe := config.SafeRemote(spec); safe != spec {
			err = errors.New(strings.ReplaceAll(err.Error(), spec, safe))
		}
	}
	return f, err
}
