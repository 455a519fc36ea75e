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

// WebDAV has a real fast path (one DELETE of the whole collection) and no
// recursive listing: each clean old day costs one PROPFIND per folder and
// one DELETE, not one DELETE per segment.
func TestKeepWebDAV(t *testing.T) {
	srv := rclonetest.WebDAV(t)
	s := utc(t)
	segs := seed(t, srv.Root, s, 6, 288)
	writeFile(t, srv.Root, "20240302/07/notes.txt", "keep me")
	ctx := context.Background()
	f, err := fs.NewFs(ctx, srv.Remote)
	if err != nil {
		t.Fatal(err)
	}
	c := rclonetest.Count(f)
	var log bytes.Buffer
	now := archiveStart.Add(5*day + 12*time.Hour) // cut-off 2024-03-04 12:00
	res, err := Run(ctx, Options{Dest: c, Scheme: s, Keep: 2 * day, Now: at(now),
		Log: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	cut := now.Add(-2 * day)
	got, empty := files(t, srv.Root)
	sameSet(t, "webdav", got, append(newer(t, s, segs, cut), "20240302/07/notes.txt"))
	if len(empty) != 0 || res.DeletedFiles != len(segs)-len(newer(t, s, segs, cut)) {
		t.Fatalf("deleted %d, empty folders %v", res.DeletedFiles, empty)
	}
	// 1 March is purged; 2 March holds a stray and 3, 4 March are on the
	// boundary (a name may carry any zone), so they go file by file.
	if n := strings.Count(log.String(), "purged folder"); n != 1 {
		t.Errorf("%d purges, want 1:\n%s", n, log.String())
	}
	// The root, then 1 to 5 March (5 March starts less than 14 hours
	// after the cut-off, so a name in a +14:00 zone could be older): one
	// listing per folder, 1 + 24 a day. Never 6 March.
	if n := c.Lists(); n != 1+5*25 {
		t.Errorf("%d listings, want %d", n, 1+5*25)
	}
}
