package rclonetest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/rclone/rclone/fs/rc"
)

// PublicS3 starts rclone's S3 server without credentials: it serves every
// object to anyone, as a bucket whose objects are public-read does (the
// encrypted share page reads its index and footage unsigned). Remote still
// signs, as camshare does against any S3 store. (It does not enforce ACLs:
// "unsigned is refused" needs Ceph RGW.)
func PublicS3(t testing.TB) *Server {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, Bucket), 0o755); err != nil {
		t.Fatal(err)
	}
	s := &Server{Type: "s3", Dir: dir, Root: filepath.Join(dir, Bucket), t: t, params: rc.Params{}}
	s.start("127.0.0.1:0")
	s.Remote = fmt.Sprintf(":s3,provider=Rclone,endpoint='http://%s',access_key_id=%s,secret_access_key=%s,region=us-east-1,force_path_style=true:%s",
		s.Addr, AccessKey, SecretKey, Bucket)
	return s
}
