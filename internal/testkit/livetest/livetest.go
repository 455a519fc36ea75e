// Package livetest is the whole near-live pipeline in-process for tests and
// the benchmark: test cameras → recorders → one shipper with live parts →
// rclone's S3 server, behind an HTTP front that serves a test page (and
// share/page's scripts) on the same origin as the bucket, counts every
// request by method and object kind, and can fail requests (an outage).
package livetest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/live"
	"github.com/camshare/camshare/internal/logging"
	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/testcam"
	"github.com/camshare/camshare/internal/testkit/rclonetest"
	"github.com/camshare/camshare/record"
	"github.com/camshare/camshare/ship"
)

// Options of a rig.
type Options struct {
	Cameras int           // default 1
	Segment time.Duration // default 20s
	Fixture string        // testcam fixture; "" = its default
	Encrypt bool          // seal segments, parts and index
	Page    string        // HTML served at /page/index.html (scripts of share/page beside it)
	// OnShipped is called after each segment is verified on the remote.
	OnShipped func(ship.Shipped)
	// BwLimit is rclone's --bwlimit. rclone's config is per process: the
	// first rig of a test binary sets it for every later one.
	BwLimit string
}

// Request is one request the front passed on, for tests of ordering.
type Request struct {
	Who, Method, Kind string
	Start, End        time.Time
}

// Rig is a running pipeline.
type Rig struct {
	Front   string // http://127.0.0.1:PORT: the S3 endpoint camshare and the page use
	Cameras []string
	Dests   map[string]fs.Fs
	Dirs    map[string]string
	Scheme  *layout.Scheme
	Archive *keys.Archive // set with Encrypt
	Shipper *ship.Shipper
	S3      *rclonetest.Server

	down   atomic.Bool
	mu     sync.Mutex
	counts map[string]int // "who method kind" → requests
	log    []Request
}

// Requests is every request passed on so far, in the order they ended.
func (r *Rig) Requests() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Request(nil), r.log...)
}

var (
	setupOnce sync.Once
	setupCtx  context.Context
	setupErr  error
)

// Start runs a rig until the test ends.
func Start(t testing.TB, o Options) *Rig {
	t.Helper()
	setupOnce.Do(func() {
		setupCtx, setupErr = remote.Setup(context.Background(), remote.Options{
			ConfigPath: filepath.Join(os.TempDir(), "camshare-livetest-none.conf"), LowLevelRetries: 1, Transfers: 2,
			BwLimit: o.BwLimit,
		}, logging.Discard())
	})
	if setupErr != nil {
		t.Fatal(setupErr)
	}
	if o.Cameras <= 0 {
		o.Cameras = 1
	}
	if o.Segment <= 0 {
		o.Segment = 20 * time.Second
	}
	r := &Rig{S3: rclonetest.S3(t), Dests: map[string]fs.Fs{}, Dirs: map[string]string{}, counts: map[string]int{}}
	front := httptest.NewServer(r.handler(o.Page))
	t.Cleanup(front.Close)
	r.Front = front.URL
	var err error
	if r.Scheme, err = layout.New(layout.DefaultName, layout.DefaultDir, true); err != nil {
		t.Fatal(err)
	}
	if o.Encrypt {
		if r.Archive, err = keys.LoadOrCreate(filepath.Join(t.TempDir(), "archive.key")); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(setupCtx)
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	var sources []ship.Source
	spec := fmt.Sprintf(":s3,provider=Rclone,endpoint='%s',access_key_id=%s,secret_access_key=%s,region=us-east-1,force_path_style=true:%s/archive",
		r.Front, rclonetest.AccessKey, rclonetest.SecretKey, rclonetest.Bucket)
	for i := 1; i <= o.Cameras; i++ {
		name := fmt.Sprintf("cam%d", i)
		cam, err := testcam.Start(testcam.Options{Fixture: o.Fixture})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(cam.Close)
		dir := filepath.Join(t.TempDir(), name)
		dest, err := remote.Open(ctx, spec+"/"+name)
		if err != nil {
			t.Fatal(err)
		}
		r.Cameras = append(r.Cameras, name)
		r.Dests[name], r.Dirs[name] = dest, dir
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = record.Run(ctx, record.Options{URL: cam.URL(), Dir: dir, Segment: o.Segment, Scheme: r.Scheme})
		}()
		sources = append(sources, ship.Source{Name: name, Dir: dir, Dest: dest, Encrypt: r.Archive})
	}
	r.Shipper, err = ship.New(ship.Options{Sources: sources, Scheme: r.Scheme, Live: true, Rescan: 2 * time.Second,
		OnShipped: func(_ context.Context, sh ship.Shipped) {
			if o.OnShipped != nil {
				o.OnShipped(sh)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	wg.Add(1)
	go func() { defer wg.Done(); _ = r.Shipper.Run(ctx) }()
	return r
}

// IndexURL is the signed link to a camera's live index, once its stream
// has set up (waits up to a minute). The stream writes the heartbeat, which
// signing needs, before the index, so a link alone can still meet a 404:
// it waits for the index too.
func (r *Rig) IndexURL(t testing.TB, camera string) string {
	t.Helper()
	index := layout.LiveIndexPlain
	if r.Archive != nil {
		index = layout.LiveIndexSealed
	}
	deadline := time.Now().Add(time.Minute)
	for {
		u, err := live.IndexLink(setupCtx, r.Dests[camera], r.Archive != nil, time.Hour)
		if err == nil {
			_, err = r.Dests[camera].NewObject(setupCtx, index)
		}
		if err == nil {
			return u
		}
		if time.Now().After(deadline) {
			t.Fatalf("no live index link for %s: %v", camera, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// ReadIndex reads a plain live index through its link as the page does:
// the stream rewrites it after every part, and rclone's S3 server replaces
// an object by deleting it and renaming the new one in (real S3 replaces
// atomically), so a read may find it missing for an instant; a few tries
// a moment apart.
func ReadIndex(t testing.TB, u string) live.Index {
	t.Helper()
	var last string
	for try := 0; try < 5; try++ {
		if try > 0 {
			time.Sleep(200 * time.Millisecond)
		}
		res, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			last = fmt.Sprintf("HTTP %d: %s", res.StatusCode, b)
			continue
		}
		var ix live.Index
		if err := json.Unmarshal(b, &ix); err != nil {
			t.Fatalf("live index: %v: %s", err, b)
		}
		return ix
	}
	t.Fatalf("live index: %s", last)
	return live.Index{}
}

// Context is the rclone set-up the rig's remotes were opened with, for a
// test's own calls on them (share.Publish).
func (r *Rig) Context() context.Context { return setupCtx }

// LiveKey is the key a page needs for a sealed live view ("" when plain).
func (r *Rig) LiveKey() string {
	if r.Archive == nil {
		return ""
	}
	return live.LiveKey(r.Archive)
}

// Outage makes every bucket request fail (502) until called with false.
func (r *Rig) Outage(on bool) { r.down.Store(on) }

// Counts is a copy of the request counts: key "who method kind", who is
// "page" (a browser) or "camshare", kind one of heartbeat, index, part,
// init, segment, other.
func (r *Rig) Counts() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for k, v := range r.counts {
		out[k] = v
	}
	return out
}

// ResetCounts zeroes the counts.
func (r *Rig) ResetCounts() {
	r.mu.Lock()
	r.counts = map[string]int{}
	r.mu.Unlock()
}

// Count sums the counts whose key has every one of the words.
func (r *Rig) Count(words ...string) int {
	n := 0
	for k, v := range r.Counts() {
		ok := true
		for _, w := range words {
			ok = ok && strings.Contains(" "+k+" ", " "+w+" ")
		}
		if ok {
			n += v
		}
	}
	return n
}

func kindOf(p string) string {
	switch {
	case strings.HasSuffix(p, "/"+layout.LiveHeartbeat):
		return "heartbeat"
	case strings.HasSuffix(p, "/"+layout.LiveIndexPlain), strings.HasSuffix(p, "/"+layout.LiveIndexSealed):
		return "index"
	case strings.HasSuffix(p, ".m4s"):
		return "part"
	case strings.HasSuffix(p, "/init.mp4"):
		return "init"
	case strings.HasSuffix(p, ".mp4"):
		return "segment"
	}
	return "other"
}

func (r *Rig) handler(page string) http.Handler {
	target, _ := url.Parse("http://" + r.S3.Addr)
	proxy := httputil.NewSingleHostReverseProxy(target)
	pageDir := pageSources()
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if name, ok := strings.CutPrefix(req.URL.Path, "/page/"); ok {
			w.Header().Set("Cache-Control", "no-store")
			if name == "index.html" {
				w.Header().Set("Content-Type", "text/html")
				fmt.Fprint(w, page)
				return
			}
			if strings.HasSuffix(name, ".js") {
				w.Header().Set("Content-Type", "text/javascript")
			}
			http.ServeFile(w, req, filepath.Join(pageDir, filepath.Base(name)))
			return
		}
		who := "camshare"
		if strings.Contains(req.UserAgent(), "Mozilla") {
			who = "page"
		}
		if req.Method != http.MethodOptions {
			r.mu.Lock()
			r.counts[who+" "+req.Method+" "+kindOf(req.URL.Path)]++
			r.mu.Unlock()
		}
		if r.down.Load() {
			http.Error(w, "outage", http.StatusBadGateway)
			return
		}
		began := time.Now()
		proxy.ServeHTTP(w, req) // the Host header stays the front's: what was signed
		r.mu.Lock()
		r.log = append(r.log, Request{Who: who, Method: req.Method, Kind: kindOf(req.URL.Path), Start: began, End: time.Now()})
		r.mu.Unlock()
	})
}

// pageSources is share/page in this source tree.
func pageSources() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "share", "page")
}
