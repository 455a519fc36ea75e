package share

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/seal"
	"github.com/camshare/camshare/internal/testkit/browsertest"
	"github.com/camshare/camshare/internal/testkit/rgw"
)

// share on Ceph's RADOS Gateway, an S3 server that enforces ACLs and
// signatures (rclone's in-process S3 server serves everything to anyone).

func TestMain(m *testing.M) { os.Exit(rgw.Main(m)) }

// archiveRGW is a fresh bucket on the shared RGW with an archive folder
// "garden", opened with the remote's backend options (e.g. acl=public-read).
func archiveRGW(t *testing.T, ctx context.Context, options ...string) (*archiveS3, *rgw.Server, string) {
	t.Helper()
	srv := rgw.Shared(t)
	bucket := srv.Bucket(t)
	f, err := remote.Open(ctx, srv.Remote(bucket+"/garden", options...))
	if err != nil {
		t.Fatal(err)
	}
	return &archiveS3{f: f, s: utcScheme(t)}, srv, bucket
}

// unsignedGet is a GET without credentials (or a presigned link, which carries its own
// signature): the status, content type and body.
func unsignedGet(t *testing.T, u string) (int, string, []byte) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), body
}

func withoutQuery(u string) string {
	p, _ := url.Parse(u)
	p.RawQuery = ""
	return p.String()
}

// With the remote's default ACL (private) the page, its index and the
// footage are presigned links: they work (and play) for their lifetime,
// and none of the objects is readable without a signature.
func TestPrivateShareOnRGWPlaysThroughPresignedLinks(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	a, _, _ := archiveRGW(t, ctx)
	now := time.Now().UTC().Truncate(time.Second)
	segs := a.add(t, ctx, minutes(now, 3, 2)...)
	p, err := Publish(ctx, Options{Dest: a.f, Scheme: a.s, Window: time.Hour, Title: "Garden", Camera: "garden", Poll: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.URL, "X-Amz-Signature=") {
		t.Fatalf("page link %s… is not presigned", withoutQuery(p.URL))
	}
	code, ct, _ := unsignedGet(t, p.URL)
	if code != http.StatusOK || !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("presigned page link: %d %q, want 200 text/html", code, ct)
	}
	r, err := readRecord(ctx, a.f, p.ID, nil)
	if err != nil || r == nil {
		t.Fatalf("record: %v", err)
	}
	latest := r.Docs[docName("", false)].URL
	if code, ct, _ := unsignedGet(t, latest); code != http.StatusOK || !strings.HasPrefix(ct, "application/json") {
		t.Errorf("presigned index link: %d %q, want 200 application/json", code, ct)
	}
	for _, u := range []string{p.URL, latest, r.Segments[0].URL} {
		if code, _, _ := unsignedGet(t, withoutQuery(u)); code != http.StatusForbidden {
			t.Errorf("unsigned GET of %s: %d, want 403", withoutQuery(u), code)
		}
	}
	b := open(t, ctx, browsertest.Chromium, p.URL)
	waitPlaying(t, ctx, b, segs[1].Path)
}

// With acl=public-read (how docs/encryption.md sets up a link that lasts
// on Ceph) the page and its index are served without a signature, as
// pages, and the page plays opened that way; the share's record, camshare's own bookkeeping in plain JSON
// (selection, title, every link), is not.
func TestPublicReadShareOnRGWServesThePageUnsigned(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	a, _, _ := archiveRGW(t, ctx, "acl=public-read")
	now := time.Now().UTC().Truncate(time.Second)
	segs := a.add(t, ctx, minutes(now, 2)...)
	p, err := Publish(ctx, Options{Dest: a.f, Scheme: a.s, Window: time.Hour, Title: "Garden"})
	if err != nil {
		t.Fatal(err)
	}
	page := withoutQuery(p.URL)
	code, ct, body := unsignedGet(t, page)
	if code != http.StatusOK || !strings.HasPrefix(ct, "text/html") || !strings.Contains(string(body), "<html") {
		t.Fatalf("unsigned GET of the public-read page: %d %q, want 200 text/html", code, ct)
	}
	dir := strings.TrimSuffix(page, PageName)
	if code, ct, _ := unsignedGet(t, dir+docName("", false)); code != http.StatusOK || !strings.HasPrefix(ct, "application/json") {
		t.Errorf("unsigned GET of the index: %d %q, want 200 application/json", code, ct)
	}
	if code, _, _ := unsignedGet(t, dir+RecordName); code != http.StatusForbidden {
		t.Errorf("unsigned GET of the share's record %s: %d, want 403", RecordName, code)
	}
	// Opened at its address without a signature, the page plays.
	b := open(t, ctx, browsertest.Chromium, page)
	waitPlaying(t, ctx, b, segs[0].Path)
	b.Close()
	// The record stays readable to camshare (list, refresh, revoke).
	if pages, err := List(ctx, a.f, nil); err != nil || len(pages) != 1 {
		t.Fatalf("share --list after a public-read share: %v, %v", pages, err)
	}
	if err := Revoke(ctx, a.f, p.ID); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := unsignedGet(t, page); code != http.StatusNotFound && code != http.StatusForbidden {
		t.Errorf("page after --revoke: %d, want it gone", code)
	}
}

// An encrypted archive on a remote set up acl=public-read, the documented
// Ceph set-up of a link that lasts: the link printed has no signature and
// no expiry, the page decrypts and plays opened with no credentials, the
// footage a stranger can fetch is ciphertext, and the share's record is
// refused. On the same server with the default (private) ACL the same
// link opens nothing: the bucket setting is what makes it work.
func TestSealedShareOnRGWPlaysWithoutCredentials(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	key := archiveKey(t)
	now := time.Now().UTC().Truncate(time.Second)
	a, _, _ := archiveRGW(t, ctx, "acl=public-read")
	segs := a.addSealed(t, ctx, key, minutes(now, 3, 2)...)
	p, err := Publish(ctx, Options{Dest: a.f, Scheme: a.s, Window: time.Hour, Title: "Garden", Seal: key})
	if err != nil {
		t.Fatal(err)
	}
	page, _, _ := strings.Cut(p.URL, "#")
	if strings.Contains(page, "?") || !p.Expires.IsZero() {
		t.Fatalf("link %s (expires %v): want the plain address, no expiry", page, p.Expires)
	}
	if code, ct, _ := unsignedGet(t, page); code != http.StatusOK || !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("unsigned GET of the sealed share's page: %d %q", code, ct)
	}
	segURL := strings.TrimSuffix(page, shareDir(p.ID)+"/"+PageName) + segs[1].Path
	if code, _, body := unsignedGet(t, segURL); code != http.StatusOK || !seal.IsSealed(body) {
		t.Errorf("unsigned GET of footage: %d, sealed %v; want 200 and ciphertext", code, seal.IsSealed(body))
	}
	if code, _, _ := unsignedGet(t, strings.TrimSuffix(page, PageName)+RecordName); code != http.StatusForbidden {
		t.Errorf("unsigned GET of the record: %d, want 403", code)
	}
	b := open(t, ctx, browsertest.Chromium, p.URL)
	waitPlaying(t, ctx, b, segs[1].Path)

	private, _, _ := archiveRGW(t, ctx)
	private.addSealed(t, ctx, key, minutes(now, 2)...)
	q, err := Publish(ctx, Options{Dest: private.f, Scheme: private.s, Window: time.Hour, Title: "Garden", Seal: key})
	if err != nil {
		t.Fatal(err)
	}
	if code, _, _ := unsignedGet(t, strings.SplitN(q.URL, "#", 2)[0]); code != http.StatusForbidden {
		t.Errorf("sealed page on a private remote: %d, want 403 (doctor's FAIL)", code)
	}
}
