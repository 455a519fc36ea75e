package cmd

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/rclone/rclone/fs/operations"

	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/sidecar"
	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

// share --json carries each segment's activity from its sidecar, and
// nothing for a segment without one; the sidecars are not listed as links.
func TestShareJSONActivity(t *testing.T) {
	ctx := context.Background()
	srv := rclonetest.S3(t)
	f, err := remote.Open(ctx, srv.Remote+"/garden")
	if err != nil {
		t.Fatal(err)
	}
	s, _ := layout.New(layout.DefaultName, layout.DefaultDir, true)
	now := time.Now().UTC().Truncate(time.Second)
	put := func(p, body string) {
		if _, err := operations.Rcat(ctx, f, p, io.NopCloser(strings.NewReader(body)), now, nil); err != nil {
			t.Fatal(err)
		}
	}
	for i, ago := range []time.Duration{40, 20} {
		start := now.Add(-ago * time.Minute)
		p, _ := s.RemotePath(s.Name(start))
		put(p, "segment "+p)
		if i == 0 {
			m := &sidecar.Meta{Version: sidecar.Version, Segment: p, Start: start, Duration: 30, Video: "h264"}
			m.Summarize([]sidecar.Second{{At: start.Add(12 * time.Second), Score: 2, Active: true}, {At: start.Add(13 * time.Second), Score: 2, Active: true}})
			b, _ := m.Marshal()
			put(s.Sidecar(p), string(b))
		}
	}
	code, out, errs := shareRun(t, "share", srv.Remote, "--camera", "garden", "--utc", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var links []struct {
		Path     string
		Activity []int `json:"activity_per_10s"`
	}
	if err := json.Unmarshal([]byte(out), &links); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(links) != 2 || strings.HasSuffix(links[0].Path, ".json") {
		t.Fatalf("links %+v", links)
	}
	if a := links[0].Activity; len(a) != 3 || a[1] != 2 || links[1].Activity != nil {
		t.Fatalf("activity %v and %v; want [0 2 0] and none\n%s", a, links[1].Activity, out)
	}
}
