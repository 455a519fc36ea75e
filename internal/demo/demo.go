// Package demo shows a newcomer the whole pipeline with no hardware: the
// built-in test camera (the same clip the tests use) is recorded for real,
// every closed segment is encrypted and shipped into a local-folder rclone
// remote laid out like a cloud archive, and the share page is written
// beside it: opened from disk, it decrypts and plays in the browser.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/camshare/camshare/internal/archive"
	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/testcam"
	"github.com/camshare/camshare/record"
	"github.com/camshare/camshare/share"
	"github.com/camshare/camshare/ship"
)

// Options for one demo run.
type Options struct {
	Dir      string        // everything goes below it; default ./camshare-demo
	Duration time.Duration // how long to record; 0 = until interrupted
	Segment  time.Duration // segment length; short so results show quickly
	Fixture  string        // test camera clip; default h264_pcma (H.264 + G.711)
	Out      io.Writer     // progress for the person watching
	Log      *slog.Logger
}

// Result says where things went.
type Result struct {
	RecDir, RemoteDir, Page string
	KeyFile                 string // the demo archive's key (the page's link carries a key of its own)
	Shipped                 int
}

// Run runs the demo until Duration passes or ctx ends.
func Run(ctx context.Context, o Options) (Result, error) {
	if o.Dir == "" {
		o.Dir = "camshare-demo"
	}
	if o.Segment == 0 {
		o.Segment = 5 * time.Second
	}
	if o.Fixture == "" {
		o.Fixture = "h264_pcma"
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return Result{}, err
	}
	res := Result{RecDir: filepath.Join(dir, "rec"), RemoteDir: filepath.Join(dir, "remote"), KeyFile: filepath.Join(dir, keys.FileName)}
	for _, d := range []string{res.RecDir, res.RemoteDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return res, err
		}
	}

	// Encrypted, as encrypt: true does: the demo's own key, beside it.
	key, err := keys.LoadOrCreate(res.KeyFile)
	if err != nil {
		return res, err
	}
	cam, err := testcam.Start(testcam.Options{Fixture: o.Fixture, Log: o.Log})
	if err != nil {
		return res, fmt.Errorf("test camera: %w", err)
	}
	defer cam.Close()

	// A memory-only rclone config: the demo must not need (or touch) the
	// user's own rclone.conf. The remote is a plain local folder.
	ctx, err = remote.Setup(ctx, remote.Options{ConfigPath: os.DevNull}, o.Log)
	if err != nil {
		return res, err
	}
	dest, err := remote.Open(ctx, res.RemoteDir)
	if err != nil {
		return res, err
	}
	scheme := layout.Default()
	started := time.Now()
	// The demo's page: written once footage exists, then kept fresh after
	// each upload by the same keeper run uses.
	var mu sync.Mutex
	keeper := &share.Keeper{Dest: dest, Scheme: scheme, Log: o.Log, Seal: key,
		Own: &share.Options{From: started.Add(-time.Hour), To: started.Add(24 * time.Hour),
			Title: "camshare demo", Camera: "test camera", Relative: true, Owner: "demo"},
		OnPage: func(p *share.Published) { mu.Lock(); res.Page = p.URL; mu.Unlock() }}

	fmt.Fprintf(o.Out, "test camera:  %s (%s)\n", cam.URL(), o.Fixture)
	fmt.Fprintf(o.Out, "recording to: %s (%s segments)\n", res.RecDir, o.Segment)
	fmt.Fprintf(o.Out, "shipping to:  %s (an rclone local remote), encrypted with %s\n", res.RemoteDir, res.KeyFile)
	if o.Duration > 0 {
		fmt.Fprintf(o.Out, "running for %s (Ctrl-C stops earlier)…\n", o.Duration)
	} else {
		fmt.Fprintln(o.Out, "running until Ctrl-C…")
	}
	runCtx, stop := context.WithCancel(ctx)
	if o.Duration > 0 {
		runCtx, stop = context.WithTimeout(ctx, o.Duration)
	}
	defer stop()

	onShipped := func(ctx context.Context, s ship.Shipped) {
		mu.Lock()
		res.Shipped++
		mu.Unlock()
		fmt.Fprintf(o.Out, "shipped %s → remote/%s\n", filepath.Base(s.Local), s.Remote)
		keeper.Note(archive.Segment{Path: s.Remote, Start: s.Start, Size: s.Size})
	}
	shipOpts := ship.Options{
		Sources:   []ship.Source{{Dir: res.RecDir, Dest: dest, Encrypt: key}},
		Scheme:    scheme,
		Rescan:    2 * time.Second,
		Log:       o.Log,
		OnShipped: onShipped,
	}
	shipper, err := ship.New(shipOpts)
	if err != nil {
		return res, err
	}
	shipDone := make(chan error, 1)
	go func() { shipDone <- shipper.Run(runCtx) }()
	keeperDone := make(chan struct{})
	go func() { keeper.Run(runCtx); close(keeperDone) }()

	recErr := record.Run(runCtx, record.Options{URL: cam.URL(), Dir: res.RecDir, Segment: o.Segment, Scheme: scheme, Log: o.Log})
	stop()
	<-keeperDone
	if err := <-shipDone; err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return res, fmt.Errorf("ship: %w", err)
	}
	if recErr != nil {
		return res, fmt.Errorf("record: %w", recErr)
	}

	// The recorder closed its last segment on the way out: ship it too, and
	// write the final page. This runs even after Ctrl-C, briefly.
	final, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	shipOpts.Once = true
	if last, err := ship.New(shipOpts); err == nil {
		if err := last.Run(final); err != nil {
			return res, fmt.Errorf("ship: %w", err)
		}
	}
	keeper.Relist = time.Nanosecond // the final page lists everything shipped
	keeper.Flush(final)
	if res.Page == "" {
		return res, errors.New("share page: no footage was shipped")
	}
	fmt.Fprintf(o.Out, "\n%d segments shipped, encrypted. Look at:\n  %s   (the remote archive: ciphertext only; camshare decrypt --key-file %s turns it back into MP4)\n  %s   (open in a browser: decrypts and plays the segments back to back; the key is after the #)\n",
		res.Shipped, res.RemoteDir, res.KeyFile, res.Page)
	return res, nil
}
