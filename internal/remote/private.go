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

// Private is f with its uploads kept private: on S3 set up with a public
// canned ACL (acl = public-read, --s3-acl …) the same remote without one,
// so objects get the bucket's default, private; otherwise f itself. No ACL
// at all rather than "private": AWS buckets with ACLs disabled (the default
// since 2023) refuse every PUT that names an ACL other than
// bucket-owner-full-control.
//
// Why: a remote set up public-read for a link that lasts (the page and the
// sealed footage) would also publish what only camshare reads, such as a
// share's plain-JSON record.
func Private(ctx context.Context, f fs.Fs) (fs.Fs, error) {
	if backendOf(f) != "s3" {
		return f, nil
	}
	// The full string holds the remote's credentials: it goes to rclone
	// only, never into an error.
	full := fs.ConfigStringFull(f)
	_, _, _, m, err := fs.ConfigFs(full)
	if err != nil {
		return nil, fmt.Errorf("remote %q: %v", fs.ConfigString(f), redact.Line(err))
	}
	switch acl, _ := m.Get("acl"); acl {
	case "", "private", "bucket-owner-full-control":
		return f, nil
	}
	parsed, err := fspath.Parse(full)
	if err != nil {
		return nil, fmt.Errorf("remote %q: %v", fs.ConfigString(f), redact.Line(err))
	}
	if parsed.Config == nil {
		parsed.Config = configmap.Simple{}
	}
	parsed.Config["acl"] = "" // an empty value set here outranks the config file and flags
	name := parsed.Name
	if i := strings.IndexByte(name, '{'); i >= 0 {
		name = name[:i]
	}
	p, err := cache.Get(ctx, name+","+parsed.Config.String()+":"+asFolder(parsed.Path))
	if err != nil {
		return nil, fmt.Errorf("remote %q without its public ACL: %v", fs.ConfigString(f), redact.Line(err))
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
