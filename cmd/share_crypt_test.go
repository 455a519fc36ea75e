package cmd

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/rclone/rclone/fs/config/obscure"
	"github.com/rclone/rclone/fs/operations"

	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/sidecar"
	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

// Issue 12: share on an rclone crypt remote is no error. It lists the
// recordings it reads through the crypt (with their activity), makes no
// link, says in one sentence why and what to use instead, and exits 0.
func TestShareCommandCrypt(t *testing.T) {
	ctx := context.Background()
	srv := rclonetest.S3(t)
	spec := `:crypt,password=` + obscure.MustObscure("pw") + `,remote="` + srv.Remote + `/enc":`
	f, err := remote.Open(ctx, spec)
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
	var paths []string
	for i, ago := range []time.Duration{40, 20} {
		start := now.Add(-ago * time.Minute)
		p, _ := s.RemotePath(s.Name(start))
		put(p, "segment "+p)
		paths = append(paths, p)
		if i == 0 {
			m := &sidecar.Meta{Version: sidecar.Version, Segment: p, Start: start, Duration: 30, Video: "h264"}
			m.Summarize([]sidecar.Second{{At: start.Add(12 * time.Second), Score: 2, Active: true}})
			b, _ := m.Marshal()
			put(s.Sidecar(p), string(b))
		}
	}
	saysWhy := func(errs string) {
		t.Helper()
		lines := strings.Split(strings.TrimSpace(errs), "\n")
		last := lines[len(lines)-1] // rclone may log a notice about the missing config first
		for _, want := range []string{"camshare: 2 recordings, no links: ", "rclone crypt", "encrypt: true", "S3-compatible"} {
			if !strings.Contains(last, want) {
				t.Errorf("stderr lacks %q: %q", want, errs)
			}
		}
		if strings.Count(strings.TrimSuffix(last, "."), ". ") > 0 {
			t.Errorf("more than one sentence: %q", last)
		}
	}

	code, out, errs := shareRun(t, "share", spec, "--utc")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 2 || !strings.Contains(lines[0], paths[0]) ||
		!strings.Contains(lines[1], paths[1]) || strings.Contains(out, "http") {
		t.Fatalf("stdout %q, want the two recordings and no link", out)
	}
	saysWhy(errs)

	code, out, errs = shareRun(t, "share", spec, "--utc", "--json")
	if code != 0 {
		t.Fatalf("--json: exit %d: %s", code, errs)
	}
	var got struct {
		Backend    string
		Links      *[]json.RawMessage
		Recordings []struct {
			Path     string
			URL      string
			Activity []int `json:"activity_per_10s"`
		}
		Why string
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.Links == nil || len(*got.Links) != 0 || got.Backend != "crypt" || !strings.Contains(got.Why, "encrypt: true") {
		t.Fatalf("want an explicit empty links list, the backend and why:\n%s", out)
	}
	if len(got.Recordings) != 2 || got.Recordings[0].Path != paths[0] || got.Recordings[0].URL != "" {
		t.Fatalf("recordings:\n%s", out)
	}
	if a := got.Recordings[0].Activity; len(a) != 3 || a[1] != 1 || got.Recordings[1].Activity != nil {
		t.Fatalf("activity %v, %v; want [0 1 0] and none", a, got.Recordings[1].Activity)
	}
	saysWhy(errs)

	// --page there is no page either: the same listing, no error.
	if code, _, errs = shareRun(t, "share", spec, "--page"); code != 0 {
		t.Fatalf("--page: exit %d: %s", code, errs)
	}
	saysWhy(errs)
}
