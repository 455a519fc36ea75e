package live

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	pathpkg "path"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/fspath"
	"github.com/rclone/rclone/fs/operations"

	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/redact"
	"github.com/camshare/camshare/internal/remote"
)

// maxSign is the longest an S3 signature (V4) may last.
const maxSign = 7 * 24 * time.Hour

// signer makes S3 presigned links (GET and PUT) for objects of one camera
// folder without a request each. rclone presigns GETs only, and one HEAD
// per link; so one rclone link (of the heartbeat object) gives the
// address scheme (endpoint, bucket, path or virtual-host style), the access
// key and the region, the secret comes from the remote's own config, and
// the AWS SDK's V4 signer signs each link locally.
type signer struct {
	scheme, host, prefix string // prefix: the escaped path up to the camera folder, ending in /
	creds                aws.Credentials
	region               string
	sign                 *v4.Signer
}

// newSigner needs the heartbeat object to exist (rclone's link HEADs it).
func newSigner(ctx context.Context, dest fs.Fs) (*signer, error) {
	if dest.Features().PublicLink == nil || backend(dest) != "s3" {
		return nil, errors.New("not an S3 remote: no signed links")
	}
	link, err := operations.PublicLink(ctx, dest, layout.LiveHeartbeat, fs.Duration(time.Hour), false)
	if err != nil {
		return nil, fmt.Errorf("signed link: %w", redact.Error(err))
	}
	u, err := url.Parse(link)
	if err != nil {
		return nil, err
	}
	q := u.Query()
	cred := strings.Split(q.Get("X-Amz-Credential"), "/")
	if len(cred) < 5 {
		return nil, errors.New("signed link without a V4 credential")
	}
	path := u.EscapedPath()
	if !strings.HasSuffix(path, "/"+layout.LiveHeartbeat) {
		return nil, errors.New("signed link does not end in the object's key")
	}
	secret, err := secretOf(dest)
	if err != nil {
		return nil, err
	}
	return &signer{scheme: u.Scheme, host: u.Host, prefix: strings.TrimSuffix(path, layout.LiveHeartbeat),
		creds:  aws.Credentials{AccessKeyID: cred[0], SecretAccessKey: secret, SessionToken: q.Get("X-Amz-Security-Token")},
		region: cred[2], sign: v4.NewSigner()}, nil
}

// secretOf reads the remote's secret_access_key (config file or connection
// string), or the environment's when the remote takes it from there.
func secretOf(dest fs.Fs) (string, error) {
	info, name, _, conn, err := fs.ParseRemote(fs.ConfigStringFull(dest))
	if err != nil {
		return "", err
	}
	if v, ok := fs.ConfigMap(info.Prefix, info.Options, name, conn).Get("secret_access_key"); ok && v != "" {
		return v, nil
	}
	if v := os.Getenv("AWS_SECRET_ACCESS_KEY"); v != "" {
		return v, nil
	}
	return "", errors.New("no secret_access_key in the remote's config or AWS_SECRET_ACCESS_KEY: cannot sign the heartbeat link")
}

// url is a presigned link for method on key (relative to the camera folder).
func (s *signer) url(method, key string, expire time.Duration, now time.Time) (string, error) {
	u := &url.URL{Scheme: s.scheme, Host: s.host, RawPath: s.prefix + escapeKey(key)}
	p, err := url.PathUnescape(u.RawPath)
	if err != nil {
		return "", err
	}
	u.Path = p
	q := url.Values{}
	q.Set("X-Amz-Expires", strconv.Itoa(int(min(expire, maxSign)/time.Second)))
	u.RawQuery = q.Encode()
	req, err := http.NewRequest(method, u.String(), nil)
	if err != nil {
		return "", err
	}
	signed, _, err := s.sign.PresignHTTP(context.Background(), s.creds, req, "UNSIGNED-PAYLOAD", "s3", s.region, now,
		func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	return signed, err
}

// withoutHead is dest opened again with S3's no_head, for uploads: rclone
// would otherwise HEAD every object it just put (twice the requests for
// parts that live a few minutes and that the page checks anyway).
func withoutHead(ctx context.Context, dest fs.Fs) fs.Fs {
	if backend(dest) != "s3" {
		return dest
	}
	p, err := fspath.Parse(fs.ConfigStringFull(dest))
	if err != nil || p.ConfigString == "" {
		return dest
	}
	f, err := remote.Open(ctx, strings.TrimSuffix(p.ConfigString, ":")+",no_head=true:"+p.Path)
	if err != nil {
		return dest
	}
	return f
}

// backend is the rclone backend behind f ("s3", "local"), from the Go
// package of its Fs type.
func backend(f fs.Info) string {
	t := reflect.TypeOf(f)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return pathpkg.Base(t.PkgPath())
}

// escapeKey escapes an object key as S3's canonical request wants it:
// every byte but A-Z a-z 0-9 - . _ ~ and /.
func escapeKey(k string) string {
	var b strings.Builder
	for i := 0; i < len(k); i++ {
		c := k[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-._~/", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// IndexLink is a signed link (S3) to a camera folder's live index, for a
// share page to hand to startLive; sealed picks index.sealed. It needs the
// live stream to have run once there (the heartbeat object must exist).
func IndexLink(ctx context.Context, dest fs.Fs, sealed bool, expire time.Duration) (string, error) {
	sg, err := newSigner(ctx, dest)
	if err != nil {
		return "", err
	}
	p := layout.LiveIndexPlain
	if sealed {
		p = layout.LiveIndexSealed
	}
	return sg.url("GET", p, expire, time.Now())
}
