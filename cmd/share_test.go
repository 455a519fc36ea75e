package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rclone/rclone/fs/operations"

	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

// shareRun runs camshare with a config file that does not exist, so the
// tests never read the user's remotes.
func shareRun(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	args = append(args, "--config", filepath.Join(t.TempDir(), "none.conf"))
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestShareCommandS3(t *testing.T) {
	ctx := context.Background()
	srv := rclonetest.S3(t)
	f, err := remote.Open(ctx, srv.Remote+"/garden")
	if err != nil {
		t.Fatal(err)
	}
	s, _ := layout.New(layout.DefaultName, layout.DefaultDir, true)
	now := time.Now()
	var bodies []string
	for _, ago := range []time.Duration{90, 40, 20, 5} {
		p, _ := s.RemotePath(s.Name(now.Add(-ago * time.Minute)))
		body := "segment " + p
		if _, err := operations.Rcat(ctx, f, p, io.NopCloser(strings.NewReader(body)), now, nil); err != nil {
			t.Fatal(err)
		}
		if ago < 60 {
			bodies = append(bodies, body)
		}
	}

	code, out, errs := shareRun(t, "share", srv.Remote, "--camera", "garden", "--utc", "--expire", "30d", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// Item 12: links keep their & (no HTML escaping), the expiry warning its zone.
	if strings.Contains(out, `\u0026`) || !strings.Contains(out, "&X-Amz-") {
		t.Errorf("--json escapes the links' &: %.300s", out)
	}
	if !regexp.MustCompile(`links expire \d{4}-\d\d-\d\d \d\d:\d\d \S+ \([+-]\d\d:\d\d\)`).MatchString(errs) {
		t.Errorf("expiry warning without a time zone: %q", errs)
	}
	var links []struct {
		Start, Path, URL string
		End, Expires     *string
		Size             int64
	}
	if err := json.Unmarshal([]byte(out), &links); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	if len(links) != 3 {
		t.Fatalf("default --last 1h gave %d links, want 3:\n%s", len(links), out)
	}
	for i, l := range links {
		if got := get(t, l.URL); got != bodies[i] || l.Size != int64(len(bodies[i])) || l.Expires == nil {
			t.Errorf("link %d: served %q, size %d, expires %v", i, got, l.Size, l.Expires)
		}
	}
	if !strings.Contains(errs, "warning: s3 links expire after at most 7d") {
		t.Errorf("no plain warning about the S3 cap on stderr: %q", errs)
	}

	code, out, _ = shareRun(t, "share", srv.Remote+"/garden", "--utc", "--last", "30m")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); code != 0 || len(lines) != 2 || !strings.Contains(lines[0], " http://") {
		t.Fatalf("--last 30m: exit %d, %q", code, out)
	}
	if code, _, errs = shareRun(t, "share", srv.Remote+"/garden", "--utc", "--qr"); code != 1 || !strings.Contains(errs, "--page") {
		t.Fatalf("--qr over 3 links: exit %d, %q", code, errs)
	}
	code, out, errs = shareRun(t, "share", srv.Remote+"/garden", "--utc", "--last", "10m", "--qr")
	if code != 0 || !strings.Contains(out, "█") {
		t.Fatalf("--qr of one link: exit %d %q %q", code, out, errs)
	}

	code, out, errs = shareRun(t, "share", srv.Remote+"/garden", "--utc", "--page", "--qr")
	if code != 0 {
		t.Fatalf("--page: exit %d: %s", code, errs)
	}
	pageURL := strings.SplitN(out, "\n", 2)[0]
	if page := get(t, pageURL); !strings.Contains(page, "<video") || !strings.Contains(page, "<title>garden</title>") {
		t.Fatalf("page at %s:\n%.300s", pageURL, page)
	}
	if !strings.Contains(out, "▀") {
		t.Errorf("no QR code after the page link")
	}

	file := filepath.Join(t.TempDir(), "garden.html")
	code, out, errs = shareRun(t, "share", srv.Remote+"/garden", "--utc", "--out", file)
	if code != 0 || strings.TrimSpace(out) != file {
		t.Fatalf("--out: exit %d %q %s", code, out, errs)
	}
	if html, err := os.ReadFile(file); err != nil || !strings.Contains(string(html), "X-Amz-Signature") {
		t.Fatalf("--out page lacks the presigned links: %v", err)
	}
}

func TestShareCommandRefuses(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "cam"), 0o755); err != nil {
		t.Fatal(err)
	}
	dav := rclonetest.WebDAV(t)
	for name, spec := range map[string]string{
		"local":  dir,
		"webdav": dav.Remote,
	} {
		code, _, errs := shareRun(t, "share", spec)
		lines := strings.Split(strings.TrimSpace(errs), "\n")
		last := lines[len(lines)-1] // rclone may log a notice about the missing config first
		if code != 1 || !strings.HasPrefix(last, "camshare: share: ") || !strings.Contains(last, "can't make links") {
			t.Errorf("%s: exit %d, stderr %q", name, code, errs)
		}
	}
	for _, args := range [][]string{
		{"share", dir, "--last", "1h", "--date", "20240323"},
		{"share", dir, "--from", "soon"},
		{"share", dir, "--from", "10:00", "--to", "09:00"},
		{"share", dir, "--expire", "forever"},
		{"share", dir, "--camera", "../x"},
		{"share"},
	} {
		if code, _, errs := shareRun(t, args...); code != 2 {
			t.Errorf("%q: exit %d (%s), want 2", args, code, errs)
		}
	}
}

// A local folder gets a page with relative links, opened from disk, in a
// folder of its own; --list shows it, --revoke removes it.
func TestShareCommandLocalPage(t *testing.T) {
	dir := t.TempDir()
	s, _ := layout.New(layout.DefaultName, layout.DefaultDir, true)
	p, _ := s.RemotePath(s.Name(time.Now().Add(-time.Minute)))
	if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, p), []byte("seg"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := shareRun(t, "share", dir, "--page", "--utc")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	page := strings.TrimSpace(out)
	if filepath.Base(page) != "index.html" || filepath.Dir(filepath.Dir(page)) != filepath.Join(dir, "share") {
		t.Fatalf("printed %q", page)
	}
	for _, name := range []string{"index.html", "latest.js", "share.json"} {
		if _, err := os.Stat(filepath.Join(filepath.Dir(page), name)); err != nil {
			t.Error(err)
		}
	}
	id := filepath.Base(filepath.Dir(page))
	if code, out, _ := shareRun(t, "share", dir, "--list"); code != 0 || !strings.HasPrefix(out, id+"  ") || !strings.Contains(out, "live, the last 1h, 1 segments") {
		t.Fatalf("--list: %d %q", code, out)
	}
	if code, _, errs := shareRun(t, "share", dir, "--revoke", id); code != 0 {
		t.Fatalf("--revoke: %d %s", code, errs)
	}
	if _, err := os.Stat(page); !os.IsNotExist(err) {
		t.Fatalf("page still there after --revoke: %v", err)
	}
	if code, out, _ := shareRun(t, "share", dir, "--list"); code != 0 || strings.TrimSpace(out) != "no pages shared here" {
		t.Fatalf("--list after revoke: %d %q", code, out)
	}
}

// Item 7: a typo in the remote creates nothing and fails: no bucket, no
// empty page. An empty selection in an existing folder fails too.
func TestSharePageNeverCreates(t *testing.T) {
	srv := rclonetest.S3(t)
	code, out, errs := shareRun(t, "share", strings.TrimSuffix(srv.Remote, "bucket")+"nobucket/x", "--page")
	if code != 1 || out != "" || !strings.Contains(errs, "no footage in") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(srv.Root), "nobucket")); !os.IsNotExist(err) {
		t.Fatalf("share created the bucket: %v", err)
	}
	if code, _, errs := shareRun(t, "share", srv.Remote+"/cam", "--page"); code != 1 || !strings.Contains(errs, "nothing to share") {
		t.Fatalf("empty selection: exit %d %s", code, errs)
	}
	if n := countFiles(t, srv.Root); n != 0 {
		t.Fatalf("%d files written for an empty selection", n)
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %d: %.200s", resp.StatusCode, b)
	}
	return string(b)
}

// Items 2 and 3: plain ship (no flag) keeps every live page of its folder
// fresh, and the page's index converges on the remote: segments that
// arrived while nothing refreshed it are there after the next ship.
func TestShipKeepsPagesFresh(t *testing.T) {
	srv := rclonetest.S3(t)
	rec := t.TempDir()
	s, _ := layout.New(layout.DefaultName, layout.DefaultDir, true)
	now := time.Now()
	f, err := remote.Open(context.Background(), srv.Remote+"/cam")
	if err != nil {
		t.Fatal(err)
	}
	uploadDirect := func(at time.Time) {
		p, _ := s.RemotePath(s.Name(at))
		if _, err := operations.Rcat(context.Background(), f, p, io.NopCloser(strings.NewReader("seg")), now, nil); err != nil {
			t.Fatal(err)
		}
	}
	uploadDirect(now.Add(-5 * time.Minute))
	code, out, errs := shareRun(t, "share", srv.Remote+"/cam", "--page", "--utc")
	if code != 0 {
		t.Fatalf("share --page: %d %s", code, errs)
	}
	if !regexp.MustCompile(`works until .* \d\d:\d\d \S+ \([+-]\d\d:\d\d\)`).MatchString(errs) {
		t.Errorf("share --page does not say until when the page works, with its zone: %q", errs)
	}
	page := strings.TrimSpace(out)
	id := regexp.MustCompile(`/share/([a-z0-9]+)/index\.html`).FindStringSubmatch(page)
	if id == nil {
		t.Fatalf("page link %q", page)
	}
	latestSegs := func() int {
		raw, err := os.ReadFile(filepath.Join(srv.Root, "cam", "share", id[1], "latest.json"))
		if err != nil {
			t.Fatal(err)
		}
		var l struct{ Days []struct{ N int } }
		if err := json.Unmarshal(raw, &l); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, d := range l.Days {
			n += d.N
		}
		return n
	}
	uploadDirect(now.Add(-4 * time.Minute)) // nothing refreshes for these two
	uploadDirect(now.Add(-3 * time.Minute))
	// A file ship takes for a segment: it starts with an ISO-BMFF ftyp box.
	if err := os.WriteFile(filepath.Join(rec, s.Name(now.Add(-time.Minute))), []byte("\x00\x00\x00\x10ftypisom\x00\x00\x00\x00"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := shareRun(t, "ship", "--dir", rec, "--to", srv.Remote+"/cam", "--once", "--utc"); code != 0 {
		t.Fatalf("ship: exit %d: %s", code, errs)
	}
	if n := latestSegs(); n != 4 {
		t.Fatalf("the page's index holds %d segments, the remote 4", n)
	}
}

// --dry-run changes nothing on the remote.
func TestSharePageDryRun(t *testing.T) {
	dir := t.TempDir()
	s, _ := layout.New(layout.DefaultName, layout.DefaultDir, true)
	p, _ := s.RemotePath(s.Name(time.Now().Add(-time.Minute)))
	if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, p), []byte("seg"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := shareRun(t, "share", dir, "--page", "--dry-run")
	if code != 0 || out != "" || !strings.Contains(errs, "dry run") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if n := countFiles(t, dir); n != 1 {
		t.Fatalf("dry run wrote %d files", n-1)
	}
}
