package rgw_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/object"
	"github.com/rclone/rclone/fs/operations"

	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/testkit/rgw"
)

// The access rules camshare's lasting share links rely on, proved on a
// server that enforces them: what is uploaded public-read is served to
// anyone, private footage to no one without a signature, and a presigned
// link works until its expiry and not after.

func TestMain(m *testing.M) { os.Exit(rgw.Main(m)) }

// put uploads data through rclone's S3 backend, opened the way camshare
// opens remotes, with the remote's backend options (e.g. acl=public-read,
// what --s3-acl sets).
func put(t *testing.T, srv *rgw.Server, bucket, key string, data []byte, options ...string) fs.Fs {
	t.Helper()
	ctx := context.Background()
	f, err := remote.Open(ctx, srv.Remote(bucket, options...))
	if err != nil {
		t.Fatal(err)
	}
	info := object.NewStaticObjectInfo(key, time.Now(), int64(len(data)), true, nil, f)
	if _, err := f.Put(ctx, bytes.NewReader(data), info); err != nil {
		t.Fatal(err)
	}
	return f
}

// unsigned is a GET without credentials, as a family member's browser does.
func unsigned(t *testing.T, u string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

func TestPublicReadObjectIsServedUnsigned(t *testing.T) {
	srv := rgw.Shared(t)
	bucket := srv.Bucket(t)
	data := []byte("sealed bytes, readable by anyone with the link")
	put(t, srv, bucket, "garden/share/abc/index.sealed", data, "acl=public-read")
	code, body := unsigned(t, srv.URL(bucket, "garden/share/abc/index.sealed"))
	if code != http.StatusOK || !bytes.Equal(body, data) {
		t.Fatalf("unsigned GET of a public-read object: %d %q, want 200 and the data", code, body)
	}
}

func TestPrivateFootageIsRefusedUnsigned(t *testing.T) {
	srv := rgw.Shared(t)
	bucket := srv.Bucket(t)
	put(t, srv, bucket, "garden/20240323/10/seg.mp4", []byte("footage"), "acl=private")
	put(t, srv, bucket, "garden/20240323/11/seg.mp4", []byte("footage")) // rclone's default ACL
	for _, key := range []string{"garden/20240323/10/seg.mp4", "garden/20240323/11/seg.mp4"} {
		if code, body := unsigned(t, srv.URL(bucket, key)); code != http.StatusForbidden {
			t.Errorf("unsigned GET of private %s: %d %q, want 403", key, code, body)
		}
	}
	// Nor may anyone list the bucket: listing would reveal the share
	// folders' unguessable names.
	if code, _ := unsigned(t, srv.Endpoint+"/"+bucket+"?list-type=2"); code != http.StatusForbidden {
		t.Errorf("unsigned listing of the bucket: %d, want 403", code)
	}
}

func TestPresignedLinkWorksUntilItsExpiry(t *testing.T) {
	srv := rgw.Shared(t)
	bucket := srv.Bucket(t)
	f := put(t, srv, bucket, "garden/20240323/10/seg.mp4", []byte("footage"))
	const life = 6 * time.Second
	signed := time.Now()
	link, err := operations.PublicLink(context.Background(), f, "garden/20240323/10/seg.mp4", fs.Duration(life), false)
	if err != nil {
		t.Fatal(err)
	}
	if code, body := unsigned(t, link); code != http.StatusOK || string(body) != "footage" {
		t.Fatalf("fresh presigned link: %d %q, want 200", code, body)
	}
	// A changed expiry breaks the signature.
	if code, _ := unsigned(t, withExpiry(t, link, "604800")); code != http.StatusForbidden {
		t.Errorf("presigned link with its expiry raised: %d, want 403", code)
	}
	deadline := signed.Add(life + 2*time.Minute)
	for {
		code, _ := unsigned(t, link)
		if code == http.StatusForbidden {
			// X-Amz-Date has one-second resolution, so the link may end up
			// to a second before signed+life.
			if early := signed.Add(life - time.Second); time.Now().Before(early) {
				t.Fatalf("presigned link refused at %s, before its expiry %s", time.Now().Format(time.RFC3339Nano), early)
			}
			return
		}
		if code != http.StatusOK {
			t.Fatalf("presigned link: %d, want 200 before expiry, 403 after", code)
		}
		if time.Now().After(deadline) {
			t.Fatalf("presigned link still works %s after its %s expiry", time.Since(signed).Round(time.Second), life)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func withExpiry(t *testing.T, link, seconds string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("X-Amz-Expires") == "" {
		t.Fatalf("not a presigned V4 link: %s", strings.SplitN(link, "?", 2)[0])
	}
	q.Set("X-Amz-Expires", seconds)
	u.RawQuery = q.Encode()
	return u.String()
}
