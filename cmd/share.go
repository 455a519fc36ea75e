package cmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"time"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/fspath"
	"github.com/spf13/cobra"

	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/units"
	"github.com/camshare/camshare/share"
)

// shareFlags are the command line of `camshare share`.
type shareFlags struct {
	ro                           remote.Options
	last, date, from, to, camera string
	expire                       time.Duration
	names                        *schemeFlags
	out, title                   string
	asJSON, qr, page, list       bool
	revoke                       string
	keyFile                      string
}

func newShareCmd(g *globals) *cobra.Command {
	var sf shareFlags
	c := &cobra.Command{
		Use:   "share REMOTE:FOLDER [--last 1h | --date YYYYMMDD | --from T --to T] [--page] [--qr] | --list | --revoke ID",
		Short: "Print links family can open, or upload a page that plays the footage",
		Long: `Select segments by the time in their names (only the folders needed are listed)
and print one public link per segment (rclone's PublicLink), or with --page
upload a page of its own, FOLDER/share/ID/index.html (ID is random): it plays
the selection back to back on a phone, starting at the newest, and follows new
segments while the selection is open (--last, or --from without --to). Each
--page is a new share: an earlier link keeps exactly its own selection.
ship and run keep every live page of their folder fresh. --list shows the
pages that exist, --revoke ID deletes one (its link then opens nothing).
An empty selection is an error: nothing is uploaded, no bucket is created.

Links need a backend that makes them: S3-compatible stores (presigned URLs, at
most 7 days; the page renders and plays there), B2, Drive, pCloud, Mega, Box,
Dropbox, OneDrive (their links open the provider's viewer: fine to send, but
--page is refused there). Local folders, SFTP, WebDAV, FTP and SMB have no links.
--page on a local folder writes a page with relative links to open from disk.

An encrypted archive (encrypt: true; the archive key on this device, or
--key-file): --page makes a page that decrypts in the browser. Its link ends in
#k=… (the share's own key, never sent to a server): send the whole link. Nothing
on the remote is readable without it, the link does not expire, --revoke ends
it. The bucket must serve the folder without a signature (public-read or a
bucket policy, see docs/encryption.md); S3-compatible stores and local folders
can. Without --page share lists an encrypted archive's recordings with
their activity (sidecars are opened with the key) and no links, as below.

On an rclone crypt remote share lists the recordings it finds (--json: an
object with "recordings", an empty "links" and "why"), makes no links or page
(a browser can't play rclone's format), says why, and exits 0; for a page that
keeps the cloud blind use camshare's own encryption, encrypt: true, on an
S3-compatible remote.`,
		Example: `  camshare share s3:bucket/cam --last 2h
  camshare share s3:bucket/cam --date 20240323 --json
  camshare share s3:bucket --camera garden --from "yesterday 18:00" --to 21:00
  camshare share s3:bucket/cam --page --qr
  camshare share s3:bucket/cam --list
  camshare share s3:bucket/cam --revoke 4kq2…
  camshare share /sdcard/camshare --page`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			return runShare(c, g, &sf, args[0])
		},
	}
	f := c.Flags()
	f.StringVar(&sf.last, "last", "", "the last D before now (default 1h; 90m, 2h, 7d); a page follows new segments")
	f.StringVar(&sf.date, "date", "", "one day: YYYYMMDD, today or yesterday")
	f.StringVar(&sf.from, "from", "", "start: 2024-03-23T10:00, 10:00 (today), \"yesterday 18:00\"")
	f.StringVar(&sf.to, "to", "", "end (exclusive), same forms as --from; without it the selection stays open")
	f.StringVar(&sf.camera, "camera", "", "camera folder below FOLDER (multi-camera archives)")
	sf.expire = 7 * 24 * time.Hour
	f.Var(units.DurationVar(&sf.expire), "expire", "link lifetime (S3 caps it at 7d; Drive, pCloud, Mega ignore it)")
	f.BoolVar(&sf.asJSON, "json", false, "print a JSON array: start, end, path, size, url, expires")
	f.BoolVar(&sf.qr, "qr", false, "also print a QR code of the page link (or of the one link selected)")
	f.BoolVar(&sf.page, "page", false, "upload a new page that plays the selection (FOLDER/share/ID/) and print its link")
	f.BoolVar(&sf.list, "list", false, "list the pages shared from FOLDER")
	f.StringVar(&sf.revoke, "revoke", "", "delete the page with this ID (see --list): its link stops working")
	f.StringVar(&sf.out, "out", "", "write the page to this local file instead of uploading it (implies --page)")
	f.StringVar(&sf.title, "title", "", "page title (default: the camera or folder name)")
	f.StringVar(&sf.keyFile, "key-file", "", "archive key of an encrypted archive (default: key_file in camshare's config, else archive.key next to it; used when it exists)")
	sf.names = addSchemeFlags(f, true)
	sf.ro.AddFlags(f)
	return c
}

func runShare(c *cobra.Command, g *globals, sf *shareFlags, spec string) error {
	scheme, err := sf.names.scheme()
	if err != nil {
		return err
	}
	o := share.Options{Scheme: scheme, Title: sf.title, Camera: sf.camera}
	if err := sf.selection(&o, time.Now(), scheme.Location()); err != nil {
		return err
	}
	if o.Expire = sf.expire; o.Expire <= 0 {
		return usagef("--expire: want a duration such as 7d or 12h")
	}
	if sf.camera != "" {
		if spec, err = layout.CameraFolder(spec, sf.camera); err != nil {
			return usagef("--camera: %v", err)
		}
	}
	if o.Title == "" {
		o.Title = sf.camera
	}
	if p, err := fspath.Parse(spec); err == nil && o.Title == "" {
		if base := path.Base(strings.TrimRight(p.Path, "/")); base != "." && base != "/" {
			o.Title = base
		}
	}
	log, err := g.logger()
	if err != nil {
		return usagef("%v", err)
	}
	o.Log = log
	ctx, err := g.setupRemote(c.Context(), sf.ro, log)
	if err != nil {
		return err
	}
	if o.Dest, err = remote.Open(ctx, spec); err != nil {
		return err
	}
	stdout, stderr := c.OutOrStdout(), c.ErrOrStderr()
	if o.Seal, err = shareKey(g, sf.keyFile); err != nil {
		return err
	}

	switch {
	case sf.list:
		return listPages(ctx, o.Dest, o.Seal, stdout)
	case sf.revoke != "":
		if err := share.Revoke(ctx, o.Dest, sf.revoke); err != nil {
			return fmt.Errorf("share --revoke %s: %w", sf.revoke, err)
		}
		fmt.Fprintf(stderr, "camshare: page %s removed; its link now opens nothing\n", sf.revoke)
		return nil
	}
	if u, err := share.Unlinkable(ctx, o, sf.page || sf.out != ""); u != nil || err != nil {
		if err != nil {
			return fmt.Errorf("share: %w", err)
		}
		return printUnlinked(u, sf.asJSON, stdout, stderr)
	}
	if sf.page || sf.out != "" {
		return publishPage(ctx, o, sf, stdout, stderr)
	}

	links, ws, err := share.Links(ctx, o)
	warn(stderr, ws)
	if err != nil {
		return fmt.Errorf("share: %w", err)
	}
	if sf.asJSON {
		if links == nil {
			links = []share.Link{}
		}
		if err := writeJSON(stdout, links); err != nil {
			return err
		}
	} else {
		printLinks(stdout, links)
	}
	if sf.qr {
		if len(links) != 1 {
			return fmt.Errorf("share: --qr draws one link and %d were selected: use --page for a page link, or narrow the time", len(links))
		}
		return share.WriteQR(stdout, links[0].URL)
	}
	return nil
}

// printUnlinked is share where it makes no links (a crypt remote, an
// encrypted archive without --page): the recordings there, no links, and
// the one sentence saying why (stderr; in --json, "why").
func printUnlinked(u *share.Unlinked, asJSON bool, stdout, stderr io.Writer) error {
	if asJSON {
		if u.Recordings == nil {
			u.Recordings = []share.Link{}
		}
		if err := writeJSON(stdout, u); err != nil {
			return err
		}
	} else {
		for _, r := range u.Recordings {
			fmt.Fprintf(stdout, "%s  %s  (no link)\n", r.Start.Format("2006-01-02 15:04:05 -0700"), r.Path)
		}
	}
	fmt.Fprintf(stderr, "camshare: %d recordings, no links: %s\n", len(u.Recordings), u.Why)
	return nil
}

func printLinks(w io.Writer, links []share.Link) {
	for _, l := range links {
		fmt.Fprintf(w, "%s  %s\n", l.Start.Format("2006-01-02 15:04:05 -0700"), l.URL)
	}
}

// selection turns --last/--date/--from/--to into the options' time range.
func (sf *shareFlags) selection(o *share.Options, now time.Time, loc *time.Location) error {
	n := 0
	for _, set := range []bool{sf.last != "", sf.date != "", sf.from != "" || sf.to != ""} {
		if set {
			n++
		}
	}
	if n > 1 {
		return usagef("share: use one of --last, --date, or --from/--to")
	}
	var err error
	switch {
	case sf.date != "":
		if o.From, o.To, err = share.ParseDate(sf.date, now, loc); err != nil {
			return usagef("--date: %v", err)
		}
	case sf.from != "" || sf.to != "":
		if sf.from != "" {
			if o.From, err = share.ParseTime(sf.from, now, loc); err != nil {
				return usagef("--from: %v", err)
			}
		}
		if sf.to != "" {
			if o.To, err = share.ParseTime(sf.to, now, loc); err != nil {
				return usagef("--to: %v", err)
			}
			if o.From.IsZero() {
				o.From = o.To.Add(-share.DefaultWindow) // --to alone: the hour before it
			}
			if !o.To.After(o.From) {
				return usagef("share: --to must be after --from")
			}
		}
	default:
		o.Window = share.DefaultWindow
		if sf.last != "" {
			if o.Window, err = units.ParseDuration(sf.last); err != nil || o.Window <= 0 {
				return usagef("--last %q: want a duration such as 2h or 7d", sf.last)
			}
		}
	}
	return nil
}

// publishPage is --page: a new share, its link, when it stops working.
func publishPage(ctx context.Context, o share.Options, sf *shareFlags, stdout, stderr io.Writer) error {
	o.Out = sf.out
	// A local folder has no links: its page links relatively and is opened from disk.
	o.Relative = o.Dest.Features().IsLocal
	p, err := share.Publish(ctx, o)
	if p != nil {
		warn(stderr, p.Warnings)
	}
	if err != nil {
		return fmt.Errorf("share: %w", err)
	}
	if p.URL == "" { // dry run
		return nil
	}
	fmt.Fprintln(stdout, p.URL)
	live := "a fixed selection"
	if p.Live {
		live = "live: ship and run add new footage"
	}
	until := "its link does not expire"
	if o.Seal != nil {
		until = "encrypted: the key is in the link after #, so send the whole link; it works until share --revoke " + p.ID
	}
	if !p.Expires.IsZero() {
		until = "it works until " + p.Expires.Local().Format("Mon 2 Jan 2006 15:04 MST (-07:00)")
	}
	fmt.Fprintf(stderr, "camshare: page %s: %d segments, %s; %s\n", p.ID, p.Segments, live, until)
	if sf.qr {
		return share.WriteQR(stdout, p.URL)
	}
	return nil
}

func warn(stderr io.Writer, ws []string) {
	for _, w := range ws {
		fmt.Fprintf(stderr, "camshare: warning: %s\n", w)
	}
}

// listPages is --list: one line per page, newest first.
func listPages(ctx context.Context, f fs.Fs, a *keys.Archive, w io.Writer) error {
	pages, err := share.List(ctx, f, a)
	if err != nil {
		return fmt.Errorf("share --list: %w", err)
	}
	if len(pages) == 0 {
		fmt.Fprintln(w, "no pages shared here")
		return nil
	}
	for _, p := range pages {
		live := "fixed"
		if p.Live {
			live = "live"
		}
		until := "no expiry"
		if !p.Expires.IsZero() {
			until = "works until " + p.Expires.Local().Format("2006-01-02 15:04 MST")
			if p.Expires.Before(time.Now()) {
				until = "expired " + p.Expires.Local().Format("2006-01-02 15:04 MST")
			}
		}
		owner := ""
		if p.Owner != "" {
			owner = " (kept by " + p.Owner + ")"
		}
		fmt.Fprintf(w, "%s  %s  %s, %s, %d segments, %s%s\n", p.ID, p.Created.Local().Format("2006-01-02 15:04"), live, p.Selection, p.Segments, until, owner)
	}
	return nil
}

// shareKey is the archive key share seals pages with: --key-file's (which
// must exist), else the config's when this device has one (an archive is
// encrypted where its key is); nil for a plain archive.
func shareKey(g *globals, keyFile string) (*keys.Archive, error) {
	kf := keyFlags{keyFile: keyFile}
	path, err := kf.path(g)
	if err != nil {
		if keyFile == "" {
			return nil, nil // no readable config: no key here (sealed footage is then refused by share)
		}
		return nil, err
	}
	if keyFile == "" {
		if _, err := os.Stat(path); err != nil {
			return nil, nil
		}
	}
	return keys.Load(path)
}
