package share

import (
	"log/slog"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/archive"
	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/layout"
)

// DefaultExpire is how long links live when Options.Expire is zero.
const DefaultExpire = 7 * 24 * time.Hour

// DefaultWindow is the selection when nothing else is asked for: the last hour.
const DefaultWindow = time.Hour

// DefaultPoll is how often an open live page asks for the small latest document.
const DefaultPoll = 15 * time.Second

// Options select segments and say how to link and publish them.
type Options struct {
	Dest     fs.Fs          // archive root (FOLDER or FOLDER/CAMERA), opened by the caller
	Scheme   *layout.Scheme // nil = layout.Default()
	From, To time.Time      // selection [From, To); a zero To is open-ended (live)
	// Window, when set, is a rolling selection: the last Window before now,
	// taken again at every refresh (it overrides From and To). This is what
	// --last gives, so a live page keeps showing "the last hour".
	Window   time.Duration
	Expire   time.Duration // link lifetime; 0 = DefaultExpire
	Title    string        // page title, e.g. the camera name
	Camera   string        // the camera's name, for downloaded file names; "" = Title
	Relative bool          // local-folder remote: relative links (the page is opened from disk)
	Out      string        // Publish: write the page to this local file instead of uploading it
	// Seal is the archive key of an encrypted archive (encrypt: true): the
	// page decrypts in the browser with the key in its link's fragment,
	// nothing else on the remote is readable (seal.go).
	Seal *keys.Archive
	Poll time.Duration // how often a live page asks for news; 0 = DefaultPoll
	// ID, for Publish: rewrite this share (renewal, the demo) instead of
	// making a new one. Owner marks a share a program keeps (e.g. "run"), so
	// it finds its own page again after a restart.
	ID    string
	Owner string
	// OtherLive, for the page of one camera among several (run's own
	// page): the other cameras whose near-live view the page offers too,
	// in a camera picker. A share made by hand shows its own camera only.
	OtherLive []LiveCamera
	// Added, for Refresh: segments just uploaded (ship's OnShipped), merged
	// into each live share's index without listing the remote.
	Added []archive.Segment
	Log   *slog.Logger
	Now   func() time.Time // clock for tests; nil = time.Now
}

// LiveCamera is another camera's archive folder, for Options.OtherLive.
type LiveCamera struct {
	Name string
	Dest fs.Fs
}

// Link is one shared segment.
type Link struct {
	Start   time.Time
	End     time.Time // estimated from the next segment's start; zero when unknown
	Path    string    // relative to Dest
	Size    int64
	URL     string
	Expires time.Time // zero when the backend ignores expiry (the link lasts until unshared)
	FileKey string    // encrypted archive: the segment's file key (base64url), only ever in sealed documents
	// Activity is the segment's active seconds per 10 s from its sidecar
	// (docs/activity.md); nil when unknown (no sidecar, or a sealed one and no archive key).
	Activity []int
	Cold     bool // in an archive storage class: a restore is needed before it plays
}

func (o *Options) scheme() *layout.Scheme {
	if o.Scheme == nil {
		o.Scheme = layout.Default()
	}
	return o.Scheme
}

func (o *Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func (o *Options) expire() time.Duration {
	if o.Expire <= 0 {
		return DefaultExpire
	}
	return o.Expire
}

func (o *Options) poll() time.Duration {
	if o.Poll > 0 {
		return o.Poll
	}
	return DefaultPoll
}

func (o *Options) log() *slog.Logger {
	if o.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Log
}
