package prune

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

// The same 40-day archive on rclone's own S3 server: the result is the
// same, and the cost is one recursive listing per day that can hold old
// footage (S3 lists a whole prefix in pages of 1000 keys).
func TestKeep30dS3(t *testing.T) {
	srv := rclonetest.S3(t)
	s := utc(t)
	// Seeded straight into the bucket's folder before the first request,
	// so the server's directory cache has nothing stale to serve.
	segs := seed(t, srv.Root, s, 40, 288)
	for _, p := range strays {
		writeFile(t, srv.Root, p, "keep me")
	}
	ctx := context.Background()
	f, err := fs.NewFs(ctx, srv.Remote)
	if err != nil {
		t.Fatal(err)
	}
	c := rclonetest.Count(f)
	now := archiveStart.Add(40*day + 7*time.Hour + 23*time.Minute)

	dry, err := Run(ctx, Options{Dest: c, Scheme: s, Keep: 30 * day, DryRun: true, Now: at(now)})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := files(t, srv.Root)
	if len(before) != len(segs)+len(strays) {
		t.Fatalf("dry run deleted something: %d files left of %d", len(before), len(segs)+len(strays))
	}
	c.Reset()

	var log bytes.Buffer
	res, err := Run(ctx, Options{Dest: c, Scheme: s, Keep: 30 * day, Segment: 5 * time.Minute, Now: at(now),
		Log: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	checkKeep30d(t, srv.Root, segs, res)
	if dry.DeletedFiles != res.DeletedFiles || dry.DeletedBytes != res.DeletedBytes || !dry.Newest.Equal(res.Newest) {
		t.Errorf("dry run said %+v, the run did %+v", dry, res)
	}
	if n, r := c.Lists(), c.Calls("ListR"); n > 1+11 || r != 11 {
		t.Errorf("%d listings (%d recursive), want the root and one per day that can hold old footage (11)", n, r)
	}
	// Days 3 to 9 are wholly old and hold only footage: one purge each.
	// Days 1 and 2 hold a stray, 10 and 11 footage to keep: file by file.
	if n := strings.Count(log.String(), "purged folder"); n != 7 {
		t.Errorf("%d purges, want 7:\n%s", n, log.String())
	}
}
