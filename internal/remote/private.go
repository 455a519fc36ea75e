package remote

import (
	"context"
	"fmt"
	"path"
	"reflect"
	"strings"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/cache"
	"github.com/rclone/rclone/fs/config/configmap"
	"github.com/rclone/rclone/fs/fspath"

	"github.com/camshare/camshare/internal/redact"
)

// Private is f with its uploads made private: on S3 the same remote with
// acl=private, whatever acl (--s3-acl) the remote was set up with; other
// backends have no per-object ACLs and get f itself.
//
// Why: a remote set up with acl=public-read (the page and the sealed
// footage of a link that lasts) would also publish what only camshare
// reads, such as a share's plain-JSON record.
func Private(ctx context.Context, f fs.Fs) (fs.Fs, error) {
	if backendOf(f) != "s3" {
		return f, nil
	}
	// The full string holds the remote's credentials: it goes to rclone
	// only, never into an error.
	parsed, err := fspath.Parse(fs.ConfigStringFull(f))
	if err != nil {
		return nil, fmt.Errorf("remote %q: %v", fs.ConfigString(f), err)
	}
	if parsed.Config == nil {
		parsed.Config = configmap.Simple{}
	}
	if parsed.Config["acl"] == "private" {
		return f, nil
	}
	parsed.Config["acl"] = "private"
	name := parsed.Name
	if i := strings.IndexByte(name, '{'); i >= 0 {
		name = name[:i]
	}
	spec := name + "," + parsed.Config.String() + ":" + asFolder(parsed.Path)
	p, err := cache.Get(ctx, spec)
	if err != nil {
		return nil, fmt.Errorf("remote %q with acl=private: %v", fs.ConfigString(f), redact.Line(err))
	}
	return p, nil
}

// backendOf is the rclone backend behind f ("s3", "local"), from the Go
// package of its Fs type.
func backendOf(f fs.Info) string {
	t := reflect.TypeOf(f)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return path.Base(t.PkgPath())
}
