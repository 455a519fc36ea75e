package remote_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/fspath"

	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

// Private turns a public-read S3 remote into the same remote (same bucket,
// folder and credentials) that uploads without an ACL (the bucket's
// default, private); S3 remotes without a public ACL and other backends
// pass through. The ACL's effect on a server that enforces it is proved in
// share's RGW tests.
func TestPrivateOverridesTheS3ACLOnly(t *testing.T) {
	ctx := context.Background()
	srv := rclonetest.S3(t)
	pub, err := remote.Open(ctx, strings.Replace(srv.Remote, ":s3,", ":s3,acl=public-read,", 1)+"/garden")
	if err != nil {
		t.Fatal(err)
	}
	priv, err := remote.Private(ctx, pub)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := fspath.Parse(fs.ConfigStringFull(priv))
	if err != nil {
		t.Fatal(err)
	}
	if acl, set := parsed.Config["acl"]; !set || acl != "" {
		t.Errorf("private remote's acl is %q (set %v), want none (the bucket's default)", acl, set)
	}
	if priv.Root() != pub.Root() || parsed.Config["access_key_id"] != rclonetest.AccessKey {
		t.Errorf("private remote is another place: root %q, want %q", priv.Root(), pub.Root())
	}
	again, err := remote.Private(ctx, priv)
	if err != nil || again != priv {
		t.Errorf("Private of a private remote: %v, %v (want itself)", again, err)
	}
	plain, err := remote.Open(ctx, srv.Remote+"/garden")
	if err != nil {
		t.Fatal(err)
	}
	if p, err := remote.Private(ctx, plain); err != nil || p != plain {
		t.Errorf("Private of a remote without an ACL: %v, %v (want itself)", p, err)
	}
	local, err := remote.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if p, err := remote.Private(ctx, local); err != nil || p != local {
		t.Errorf("Private of a local folder: %v, %v (want itself)", p, err)
	}
}

// A configured remote whose section says acl = public-read (here through
// rclone's environment form of a config section) is overridden too.
func TestPrivateOverridesAConfiguredACL(t *testing.T) {
	ctx := context.Background()
	srv := rclonetest.S3(t)
	parsed, err := fspath.Parse(srv.Remote)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("RCLONE_CONFIG_PUBCAM_TYPE", "s3")
	for k, v := range parsed.Config {
		t.Setenv("RCLONE_CONFIG_PUBCAM_"+strings.ToUpper(k), v)
	}
	t.Setenv("RCLONE_CONFIG_PUBCAM_ACL", "public-read")
	pub, err := remote.Open(ctx, "pubcam:"+parsed.Path+"/garden")
	if err != nil {
		t.Fatal(err)
	}
	priv, err := remote.Private(ctx, pub)
	if err != nil {
		t.Fatal(err)
	}
	full, err := fspath.Parse(fs.ConfigStringFull(priv))
	if err != nil {
		t.Fatal(err)
	}
	if acl, set := full.Config["acl"]; priv == pub || !set || acl != "" {
		t.Errorf("configured public-read remote: private one has acl %q (set %v)", acl, set)
	}
}
