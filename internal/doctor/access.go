package doctor

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/operations"

	"github.com/camshare/camshare/internal/archive"
	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/redact"
	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/seal"
	"github.com/camshare/camshare/share"
)

// checkAccess asks what a stranger's browser gets without credentials:
// the newest share page with a web address must open (a link that lasts);
// where links are presigned S3 URLs (the object's own address is the link
// without its signature) plain footage must be refused and nobody may
// list the bucket (a listing shows the share folders' unguessable names).
// A camera with nothing shipped or shared gets no line.
func checkAccess(ctx context.Context, o Options) []Result {
	scheme, err := o.Config.Scheme()
	if err != nil {
		return nil // the config check says why
	}
	var out []Result
	listed := false
	for _, c := range o.Config.Cameras {
		a, err := openAccess(ctx, o, c.Name, scheme)
		if err != nil {
			continue // the remote check says why
		}
		if p := a.newestPage(); p != nil {
			if u, ok := a.pageAddress(ctx, p); ok {
				out = append(out, a.page(ctx, p, u))
			}
		}
		if a.segURL == "" {
			continue // no footage yet, or links that are not presigned S3 URLs
		}
		out = append(out, a.footage(ctx))
		if !listed {
			out, listed = append(out, a.listing(ctx)), true
		}
	}
	return out
}

// access is one camera's folder as a stranger sees it.
type access struct {
	o       Options
	camera  string
	f       fs.Fs
	segment *archive.Segment // the newest, nil when there is no footage yet
	segURL  string           // its unsigned address
	pages   []share.Page
	client  *http.Client
}

// openAccess finds the camera's newest segment and its share pages.
func openAccess(ctx context.Context, o Options, camera string, s *layout.Scheme) (*access, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*o.Timeout)
	defer cancel()
	f, err := remote.Open(ctx, o.Config.CameraRemote(camera))
	if err != nil {
		return nil, err
	}
	a := &access{o: o, camera: camera, f: f, client: strangerClient(o.Timeout)}
	if a.pages, err = share.List(ctx, f, archiveKey(o)); err != nil {
		return nil, err
	}
	if a.segment, err = newest(ctx, f, s); err != nil || a.segment == nil {
		return a, err
	}
	if f.Features().PublicLink == nil {
		return a, nil
	}
	link, err := operations.PublicLink(ctx, f, a.segment.Path, fs.Duration(time.Hour), false)
	if err == nil && presigned(link) {
		a.segURL = unsigned(link)
	}
	return a, nil
}

// archiveKey is the key an encrypted archive's share records are sealed
// with, so its pages are listed with their own titles and links; nil for a
// plain archive or when this device has no key yet (the key check says so).
func archiveKey(o Options) *keys.Archive {
	if !o.Config.Encrypt {
		return nil
	}
	a, err := keys.Load(keys.ForConfig(o.Config.KeyFile, o.Config.Path))
	if err != nil {
		return nil
	}
	return a
}

// newestPage is the newest share page.
func (a *access) newestPage() *share.Page {
	if len(a.pages) == 0 {
		return nil
	}
	return &a.pages[0]
}

// pageAddress is where the page is read without credentials: its link
// without signature or key (an encrypted archive's record, and so its link,
// is sealed: the address then comes from the backend). None for a page on
// a local folder (it opens from disk).
func (a *access) pageAddress(ctx context.Context, p *share.Page) (string, bool) {
	if isWeb(p.URL) {
		return unsigned(p.URL), true
	}
	if a.f.Features().PublicLink == nil {
		return "", false
	}
	link, err := operations.PublicLink(ctx, a.f, share.SharesDir+"/"+p.ID+"/"+share.PageName, fs.Duration(time.Hour), false)
	if err != nil || !isWeb(link) {
		return "", false
	}
	return unsigned(link), true
}

func isWeb(u string) bool {
	return strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")
}

// newest is the newest segment: down the newest layout folder at each level.
func newest(ctx context.Context, f fs.Fs, s *layout.Scheme) (*archive.Segment, error) {
	dir := ""
	for {
		folders, err := archive.Folders(ctx, f, s, dir)
		if err != nil || len(folders) == 0 {
			break
		}
		dir = folders[len(folders)-1].Path
	}
	segs, err := archive.SegmentsIn(ctx, f, s, dir)
	if err != nil || len(segs) == 0 {
		return nil, nil // no footage yet (or none to list): nothing to ask
	}
	return &segs[len(segs)-1], nil
}

// page: the newest share page opens without credentials.
func (a *access) page(ctx context.Context, p *share.Page, u string) Result {
	r := Result{Name: "share page " + a.camera}
	code, ctype, err := a.get(ctx, u)
	switch {
	case err != nil:
		r.Level, r.Detail = Fail, fmt.Sprintf("page %s: %s", p.ID, redact.Line(err))
	case code == http.StatusOK && !strings.HasPrefix(ctype, "text/html"):
		r.Level, r.Detail = Fail, fmt.Sprintf("page %s opens without credentials but is served as %q: browsers download it instead of showing it", p.ID, ctype)
	case code == http.StatusOK && presigned(p.URL):
		r.Level, r.Detail = Pass, fmt.Sprintf("page %s opens without credentials at its address without the signature (the link share printed is signed until %s)", p.ID, untilText(p.Expires))
	case code == http.StatusOK:
		r.Level, r.Detail = Pass, fmt.Sprintf("page %s opens without credentials: its link lasts until revoked", p.ID)
	case code == http.StatusForbidden && presigned(p.URL):
		r.Level = Warn
		r.Detail = fmt.Sprintf("page %s opens only through its signed link, which stops working %s", p.ID, untilText(p.Expires))
		r.Hint = "for a link that lasts, the page must be public-read: see docs/encryption.md, bucket settings"
		if !a.o.Config.Encrypt {
			r.Hint = "a link that lasts needs encrypt: true (everything public is then ciphertext) and a public-read page: see docs/encryption.md"
		}
	case code == http.StatusForbidden:
		r.Level, r.Detail = Fail, fmt.Sprintf("page %s is refused without credentials (403): family's link opens nothing", p.ID)
		r.Hint = "the page must be readable without a signature: see docs/encryption.md, bucket settings"
	default:
		r.Level, r.Detail = Fail, fmt.Sprintf("page %s: an unsigned GET answered %d", p.ID, code)
		r.Hint = "family cannot open it; make a new one with camshare share --page"
	}
	return r
}

// footage: plain footage must not be readable without credentials; sealed
// footage may be (the design of a link that lasts). What is served is
// looked at, not assumed from the config: segments shipped before
// encrypt: true are plain.
func (a *access) footage(ctx context.Context) Result {
	r := Result{Name: "footage " + a.camera}
	code, _, first, err := a.head(ctx, a.segURL)
	switch {
	case err != nil:
		r.Level, r.Detail = Warn, "could not ask without credentials: "+redact.Line(err)
	case code == http.StatusForbidden:
		r.Level, r.Detail = Pass, fmt.Sprintf("private: an unsigned GET of %s is refused (403)", a.segment.Path)
	case code == http.StatusOK && seal.IsSealed(first):
		r.Level, r.Detail = Pass, fmt.Sprintf("public-read ciphertext: an unsigned GET of %s is served, unreadable without the key", a.segment.Path)
	case code == http.StatusOK && a.o.Config.Encrypt:
		r.Level, r.Detail = Fail, fmt.Sprintf("anyone can watch it: %s is not encrypted (shipped before encrypt: true?) and an unsigned GET is served (200)", a.segment.Path)
		r.Hint = "make footage private (acl = private on the remote), or delete or re-upload the plain segments encrypted"
	case code == http.StatusOK:
		r.Level, r.Detail = Fail, fmt.Sprintf("anyone can watch it: an unsigned GET of %s is served (200), and segment names are easy to guess", a.segment.Path)
		r.Hint = "make footage private: acl = private (rclone's default) on the remote and no public bucket policy or public bucket type; or set encrypt: true"
	default:
		r.Level, r.Detail = Warn, fmt.Sprintf("an unsigned GET of %s answered %d (want 403, refused)", a.segment.Path, code)
	}
	return r
}

// listing: nobody may list the bucket without credentials.
func (a *access) listing(ctx context.Context) Result {
	r := Result{Name: "bucket listing"}
	u, ok := bucketURL(a.segURL, a.f.Root(), a.segment.Path)
	if !ok {
		r.Level, r.Detail = Info, "could not tell the bucket's address from its links"
		return r
	}
	code, _, err := a.get(ctx, u+"?list-type=2&max-keys=1")
	switch {
	case err != nil:
		r.Level, r.Detail = Warn, "could not ask without credentials: "+redact.Line(err)
	case code == http.StatusOK:
		r.Level, r.Detail = Fail, "anyone can list the bucket without credentials: the listing shows every file, share folders' secret names included"
		r.Hint = "remove s3:ListBucket for everyone from the bucket policy (or the bucket's public-read ACL); objects can stay public-read"
	default:
		r.Level, r.Detail = Pass, fmt.Sprintf("refused without credentials (%d)", code)
	}
	return r
}

// get is a GET without credentials; the status and type are kept.
func (a *access) get(ctx context.Context, u string) (int, string, error) {
	code, ctype, _, err := a.head(ctx, u)
	return code, ctype, err
}

// head is a GET without credentials of an object's first bytes.
func (a *access) head(ctx context.Context, u string) (code int, ctype string, first []byte, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, "", nil, err
	}
	req.Header.Set("Range", "bytes=0-15")
	resp, err := a.client.Do(req)
	if err != nil {
		return 0, "", nil, err
	}
	defer resp.Body.Close()
	first, _ = io.ReadAll(io.LimitReader(resp.Body, 16))
	if resp.StatusCode == http.StatusPartialContent {
		resp.StatusCode = http.StatusOK
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), first, nil
}

// strangerClient trusts what rclone's S3 backend trusts: the system's
// roots and AWS_CA_BUNDLE (a MinIO or Ceph with its own CA).
func strangerClient(timeout time.Duration) *http.Client {
	c := &http.Client{Timeout: timeout}
	bundle := os.Getenv("AWS_CA_BUNDLE")
	pem, err := os.ReadFile(bundle)
	if bundle == "" || err != nil {
		return c
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	pool.AppendCertsFromPEM(pem)
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{RootCAs: pool}
	c.Transport = t
	return c
}

// presigned says a link is an S3 presigned URL (signature V4 or V2).
func presigned(link string) bool {
	return strings.Contains(link, "X-Amz-Signature=") || strings.Contains(link, "Signature=")
}

// unsigned is an S3 link without its signature, and without the key an
// encrypted share's link carries in its fragment (never in a report or an
// error): the object's own address.
func unsigned(link string) string {
	u, err := url.Parse(link)
	if err != nil {
		if i := strings.IndexAny(link, "?#"); i >= 0 {
			return link[:i]
		}
		return link
	}
	u.RawQuery, u.Fragment, u.RawFragment = "", "", ""
	return u.String()
}

// bucketURL is the bucket's address, from one object's address: the path
// ends with the object's key (root below the bucket, then the segment).
func bucketURL(objectURL, root, segment string) (string, bool) {
	u, err := url.Parse(objectURL)
	if err != nil {
		return "", false
	}
	key := segment
	if _, below, ok := strings.Cut(strings.Trim(root, "/"), "/"); ok && below != "" {
		key = below + "/" + segment
	}
	p, ok := strings.CutSuffix(u.Path, "/"+key)
	if !ok {
		return "", false
	}
	u.Path, u.RawPath = p+"/", ""
	return u.String(), true
}

func untilText(t time.Time) string {
	if t.IsZero() {
		return "when the backend says"
	}
	return t.Format("2006-01-02 15:04 MST")
}
