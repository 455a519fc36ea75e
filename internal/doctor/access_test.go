package doctor

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rclone/rclone/fs/operations"

	"github.com/camshare/camshare/internal/config"
	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/seal"
	"github.com/camshare/camshare/internal/testkit/rgw"
	"github.com/camshare/camshare/share"
)

func TestMain(m *testing.M) { os.Exit(rgw.Main(m)) }

// archiveOnRGW is a config whose camera "door" has one segment and one
// share page on a fresh RGW bucket, the remote opened with options (e.g.
// acl=public-read); bucketOptions go to the bucket's creation.
func archiveOnRGW(t *testing.T, ctx context.Context, encrypt bool, options, bucketOptions []string) *config.Config {
	t.Helper()
	srv := rgw.Shared(t)
	bucket := srv.Bucket(t)
	if len(bucketOptions) > 0 { // make it again, with the bucket's own ACL
		f, err := remote.Open(ctx, srv.Remote(bucket, bucketOptions...))
		if err == nil {
			err = f.Rmdir(ctx, "")
		}
		if err == nil {
			err = f.Mkdir(ctx, "")
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	cfg := &config.Config{Path: "test.yaml", Remote: srv.Remote(bucket+"/home", options...), Encrypt: encrypt,
		Layout:  config.Layout{Name: layout.DefaultName, Dir: layout.DefaultDir, UTC: true},
		Cameras: []config.Camera{{Name: "door"}}}
	s, err := cfg.Scheme()
	if err != nil {
		t.Fatal(err)
	}
	f, err := remote.Open(ctx, cfg.CameraRemote("door"))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().UTC().Add(-time.Minute).Truncate(time.Second)
	p, err := s.RemotePath(s.Name(at))
	if err != nil {
		t.Fatal(err)
	}
	var body io.Reader = strings.NewReader("a segment's bytes")
	var key *keys.Archive
	if encrypt { // a sealed segment and a sealed share, as ship and share make them
		cfg.KeyFile = filepath.Join(t.TempDir(), keys.FileName)
		if key, err = keys.LoadOrCreate(cfg.KeyFile); err != nil {
			t.Fatal(err)
		}
		if body, err = seal.Encrypt(body, key.Key, key.Options()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := operations.Rcat(ctx, f, p, io.NopCloser(body), at, nil); err != nil {
		t.Fatal(err)
	}
	pub, err := share.Publish(ctx, share.Options{Dest: f, Scheme: s, Window: time.Hour, Title: "door", Seal: key})
	if err != nil {
		t.Fatal(err)
	}
	linkKey = ""
	if _, k, ok := strings.Cut(pub.URL, "#k="); ok {
		linkKey = k
	}
	return cfg
}

// linkKey is the key in the last share link made: no report may show it.
var linkKey string

func accessReport(t *testing.T, ctx context.Context, cfg *config.Config) []Result {
	t.Helper()
	rs := checkAccess(ctx, Options{Config: cfg, Timeout: 20 * time.Second})
	var buf bytes.Buffer
	Print(&buf, rs)
	t.Log("\n" + buf.String())
	if strings.Contains(buf.String(), rgw.Shared(t).SecretKey) {
		t.Error("the report shows the remote's secret key")
	}
	if linkKey != "" && strings.Contains(buf.String(), linkKey) {
		t.Error("the report shows the share link's key")
	}
	return rs
}

func want(t *testing.T, rs []Result, name string, level Level, detail string) {
	t.Helper()
	r := find(t, rs, name)
	if r.Level != level || !strings.Contains(r.Detail, detail) {
		t.Errorf("%s = %s %q, want %s with %q", name, r.Level, r.Detail, level, detail)
	}
}

// rclone's default ACL: footage and page are private; the page opens only
// through its signed link, and doctor says that link will stop working.
func TestDoctorAccessPrivateRemote(t *testing.T) {
	ctx := setup(t)
	rs := accessReport(t, ctx, archiveOnRGW(t, ctx, false, nil, nil))
	want(t, rs, "share page door", Warn, "opens only through its signed link")
	want(t, rs, "footage door", Pass, "refused (403)")
	want(t, rs, "bucket listing", Pass, "refused without credentials (403)")
}

// acl=public-read on a plain archive: the page lasts, but anyone can watch
// the footage; a bucket made public-read can be listed by anyone.
func TestDoctorAccessPublicPlainFootageFails(t *testing.T) {
	ctx := setup(t)
	cfg := archiveOnRGW(t, ctx, false, []string{"acl=public-read"}, []string{"bucket_acl=public-read"})
	rs := accessReport(t, ctx, cfg)
	want(t, rs, "share page door", Pass, "opens without credentials at its address without the signature")
	want(t, rs, "footage door", Fail, "anyone can watch it")
	want(t, rs, "bucket listing", Fail, "anyone can list the bucket")
}

// acl=public-read on an encrypted archive: the chosen design for a link
// that lasts (public page, public ciphertext, no listing).
func TestDoctorAccessPublicSealedFootagePasses(t *testing.T) {
	ctx := setup(t)
	rs := accessReport(t, ctx, archiveOnRGW(t, ctx, true, []string{"acl=public-read"}, nil))
	want(t, rs, "share page door", Pass, "opens without credentials: its link lasts until revoked")
	want(t, rs, "footage door", Pass, "public-read ciphertext")
	want(t, rs, "bucket listing", Pass, "refused without credentials")
}

// An encrypted archive's page on a private remote: its link (no
// signature, by design) opens nothing, and doctor says so.
func TestDoctorAccessPrivateSealedPageFails(t *testing.T) {
	ctx := setup(t)
	rs := accessReport(t, ctx, archiveOnRGW(t, ctx, true, nil, nil))
	want(t, rs, "share page door", Fail, "refused without credentials (403)")
	want(t, rs, "footage door", Pass, "refused (403)")
}

// encrypt: true, but a plain segment (shipped before encryption was
// turned on) is public: doctor looks at the bytes, not at the config.
func TestDoctorAccessPublicPlainSegmentInSealedArchiveFails(t *testing.T) {
	ctx := setup(t)
	cfg := archiveOnRGW(t, ctx, false, []string{"acl=public-read"}, nil)
	cfg.Encrypt = true
	rs := accessReport(t, ctx, cfg)
	want(t, rs, "footage door", Fail, "is not encrypted")
}
