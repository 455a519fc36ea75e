package share

import (
	"fmt"
	"path"
	"reflect"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/units"
)

// Step 2's rules: what each backend's links are. Every backend difference
// share knows of is in this file.

// linkPolicy is what one backend's PublicLink does with the expiry asked
// for, and whether its links serve the file itself (a page can only play
// those). Read from rclone v1.76.0's backend sources.
type linkPolicy struct {
	maxExpire  time.Duration // > 0: the backend caps expiry at this
	noExpiry   string        // non-empty: the backend ignores expiry; why, for the warning
	viewerLink string        // non-empty: links open this provider's viewer page, not the raw bytes
}

var policies = map[string]linkPolicy{
	"s3":       {maxExpire: 7 * 24 * time.Hour}, // presigned URLs: AWS signature v4 allows one week
	"b2":       {noExpiry: "b2 links ignore --expire: on a private bucket they last the remote's download_auth_duration (default 1 week), on a public bucket for ever"},
	"drive":    {noExpiry: "Google Drive links ignore --expire: they last until the file is unshared or deleted", viewerLink: "Google Drive"},
	"pcloud":   {noExpiry: "pCloud links ignore --expire: they last until the file is unshared or deleted", viewerLink: "pCloud"},
	"mega":     {noExpiry: "Mega links ignore --expire: they last until the file is unshared or deleted", viewerLink: "Mega"},
	"box":      {noExpiry: "Box links ignore --expire: they last until the file is unshared or deleted", viewerLink: "Box"},
	"koofr":    {noExpiry: "Koofr links ignore --expire: they last until the file is unshared or deleted", viewerLink: "Koofr"},
	"dropbox":  {noExpiry: "Dropbox sets link expiry only on paid plans: on others the links do not expire", viewerLink: "Dropbox"},
	"onedrive": {viewerLink: "OneDrive"},
}

// backendName is the rclone backend behind f ("s3", "local", "crypt"),
// taken from the Go package of its Fs type: it is the same for a configured
// remote and a connection string, and needs no config lookup.
func backendName(f fs.Info) string {
	t := reflect.TypeOf(f)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return path.Base(t.PkgPath())
}

// NoLinksError says why a remote cannot give family links (or a page), and
// what to use.
type NoLinksError struct {
	Remote  string // the remote as the user named it
	Backend string
	Why     string
}

func (e *NoLinksError) Error() string {
	return fmt.Sprintf("%s (%s) can't make links family can open: %s", e.Remote, e.Backend, e.Why)
}

// PageRefusedError is --page on a backend whose links open the provider's
// viewer: the page would be a file family downloads, not a page.
type PageRefusedError struct {
	Remote, Provider string
}

func (e *PageRefusedError) Error() string {
	return fmt.Sprintf("%s: %s opens its links in its own viewer, so a camshare page there would arrive as a file to download, not a page that plays; "+
		"for a page use an S3-compatible remote (AWS S3, Cloudflare R2, Backblaze B2, Wasabi, MinIO) or a local folder, or run share without --page for %s links to each recording",
		e.Remote, e.Provider, e.Provider)
}

// cryptWhy is what share says on an rclone crypt remote, in one sentence:
// it lists the recordings there (Unlinkable) but links none of them.
const cryptWhy = "share makes no links on an rclone crypt remote because its files are in rclone's own encrypted format, which no browser can play " +
	"(a page would need decrypted copies uploaded, which is what encryption is meant to prevent); " +
	"to share with family and keep the cloud just as blind, ship to an S3-compatible remote with camshare's own encryption (encrypt: true, or ship --encrypt) and share from there"

const useInstead = "use an S3-compatible remote (AWS S3, Cloudflare R2, Backblaze B2, Wasabi, MinIO) for links and the page, or Drive/pCloud/Mega for links"

// SealedPageError is an encrypted archive's page on a backend that can't
// serve it: its page and footage must be plain files at a web address.
type SealedPageError struct {
	Remote, Backend string
}

func (e *SealedPageError) Error() string {
	return fmt.Sprintf("%s (%s): the page of an encrypted archive reads its recordings from plain web addresses, which %s does not give; "+
		"what works: an S3-compatible bucket (AWS S3, Cloudflare R2, Backblaze B2, Wasabi, MinIO, Ceph) that serves the folder without a signature "+
		"(public-read, see docs/encryption.md), or a local folder opened from disk", e.Remote, e.Backend, e.Backend)
}

// sealedBackends can serve an encrypted archive's page: every file at a
// plain address under the same origin, read without a signature.
var sealedBackends = map[string]bool{"s3": true, "local": true}

// backend is the link maker for one remote: its name and rules.
type backend struct {
	f      fs.Fs
	name   string
	policy linkPolicy
}

// openBackend refuses remotes whose links would not work for family: no
// PublicLink at all, or crypt anywhere in the chain (its links point at
// ciphertext); with page set, also those whose links open a viewer.
func openBackend(f fs.Fs, page, sealed bool) (*backend, error) {
	remote := fs.ConfigString(f)
	if inCrypt(f) {
		return nil, &NoLinksError{remote, "crypt", cryptWhy}
	}
	b := &backend{f: f, name: backendName(f)}
	b.policy = policies[b.name]
	if sealed {
		if !sealedBackends[b.name] {
			return nil, &SealedPageError{remote, b.name}
		}
		return b, nil
	}
	if page && b.policy.viewerLink != "" {
		return nil, &PageRefusedError{remote, b.policy.viewerLink}
	}
	if f.Features().PublicLink != nil {
		return b, nil
	}
	why := "rclone has no public links for this backend; " + useInstead
	switch b.name {
	case "local":
		why = "a local folder has no web address; --page writes a page with relative links that plays from disk, or " + useInstead
	case "sftp", "webdav", "ftp", "smb":
		why = "it is a server people log in to, rclone has no public links for it; " + useInstead
	}
	return nil, &NoLinksError{remote, b.name, why}
}

// inCrypt says whether f is an rclone crypt remote or wraps one.
func inCrypt(f fs.Fs) bool {
	for cur := f; cur != nil; {
		if backendName(cur) == "crypt" {
			return true
		}
		unwrap := cur.Features().UnWrap
		if unwrap == nil {
			return false
		}
		cur = unwrap()
	}
	return false
}

// expiry is the expiry to ask the backend for, when the links will really
// expire (zero: never, or unknown), and a warning when that differs from
// what was asked. Times in the warning carry their zone.
func (b *backend) expiry(want time.Duration, now time.Time) (ask time.Duration, expires time.Time, warning string) {
	p := b.policy
	switch {
	case p.noExpiry != "":
		return want, time.Time{}, p.noExpiry
	case p.maxExpire > 0 && want > p.maxExpire:
		until := now.Add(p.maxExpire)
		return p.maxExpire, until, fmt.Sprintf("%s links expire after at most %s (presigned URLs): asked for %s, links expire %s",
			b.name, units.FormatDuration(p.maxExpire), units.FormatDuration(want), until.Format("2006-01-02 15:04 MST (-07:00)"))
	}
	return want, now.Add(want), ""
}
