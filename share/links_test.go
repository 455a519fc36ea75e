package share

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rclone/rclone/fs/config/obscure"

	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

// Links from rclone's own S3 server are presigned URLs that really serve
// the segment's bytes; expiry past S3's 7 days is capped and said so.
func TestLinksS3(t *testing.T) {
	ctx := context.Background()
	srv := rclonetest.S3(t)
	f, err := remote.Open(ctx, srv.Remote+"/garden")
	if err != nil {
		t.Fatal(err)
	}
	s := utcScheme(t)
	now := time.Now().UTC().Truncate(time.Second)
	data := clip(t)
	old := upload(t, ctx, f, s, now.Add(-3*time.Hour), data)
	var want []string
	for _, ago := range []time.Duration{30, 20, 10} {
		want = append(want, upload(t, ctx, f, s, now.Add(-ago*time.Minute), append(data, byte(ago))))
	}
	if err := put(ctx, f, "notes.txt", []byte("not footage"), "text/plain"); err != nil {
		t.Fatal(err)
	}

	links, warnings, err := Links(ctx, Options{Dest: f, Scheme: s, Window: time.Hour, Expire: 30 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if len(links) != 3 {
		t.Fatalf("got %d links, want 3 (the one from 3h ago is outside --last 1h): %+v", len(links), links)
	}
	for i, l := range links {
		if l.Path != want[i] || l.Path == old {
			t.Errorf("link %d path %q, want %q", i, l.Path, want[i])
		}
		body := fetch(t, l.URL)
		if !bytes.Equal(body, append(data, byte([]int{30, 20, 10}[i]))) {
			t.Errorf("link %d served %d bytes that are not the segment", i, len(body))
		}
		if d := l.Expires.Sub(now); d < 7*24*time.Hour-time.Minute || d > 7*24*time.Hour+time.Minute {
			t.Errorf("link %d expires %v, want 7 days from now (the S3 cap)", i, l.Expires)
		}
		if !strings.Contains(l.URL, "X-Amz-Expires=604800") {
			t.Errorf("link %d is not a 7-day presigned URL: %s", i, l.URL)
		}
	}
	if !links[0].End.Equal(links[1].Start) || !links[2].End.Equal(links[2].Start.Add(10*time.Minute)) {
		t.Errorf("ends not estimated from the next start / the usual length: %+v", links)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "at most 7d") {
		t.Errorf("warnings = %q, want the 7-day cap said plainly", warnings)
	}

	// Within the cap: no warning, the expiry asked for.
	links, warnings, err = Links(ctx, Options{Dest: f, Scheme: s, From: now.Add(-25 * time.Minute), To: now.Add(-15 * time.Minute), Expire: 2 * time.Hour})
	if err != nil || len(warnings) != 0 || len(links) != 1 || links[0].Path != want[1] {
		t.Fatalf("from/to selection: %+v %q %v", links, warnings, err)
	}
	if !strings.Contains(links[0].URL, "X-Amz-Expires=7200") {
		t.Errorf("2h link: %s", links[0].URL)
	}

	// --json shape for scripts.
	raw, err := json.Marshal(links)
	if err != nil {
		t.Fatal(err)
	}
	var decoded []map[string]any
	if err := json.Unmarshal(raw, &decoded); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"start", "end", "path", "size", "url", "expires"} {
		if _, ok := decoded[0][k]; !ok {
			t.Errorf("json lacks %q: %s", k, raw)
		}
	}
	if st, _ := time.Parse(time.RFC3339, decoded[0]["start"].(string)); !st.Equal(links[0].Start) {
		t.Errorf("json start %v", decoded[0]["start"])
	}
}

// Remotes whose links family couldn't open are refused with a reason and
// what to use instead, before anything is listed.
func TestNoLinks(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "cam"), 0o755); err != nil {
		t.Fatal(err)
	}
	s3 := rclonetest.S3(t)
	dav := rclonetest.WebDAV(t)
	cases := map[string]struct{ spec, want string }{
		"local":  {dir, "a local folder has no web address"},
		"webdav": {dav.Remote, "server people log in to"},
		"crypt":  {`:crypt,password=` + obscure.MustObscure("pw") + `,remote="` + s3.Remote + `/enc":`, "encrypted"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			f, err := remote.Open(ctx, c.spec)
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = Links(ctx, Options{Dest: f, Window: time.Hour})
			var nl *NoLinksError
			if !errors.As(err, &nl) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "S3-compatible") {
				t.Fatalf("err = %v, want a NoLinksError saying %q and what to use", err, c.want)
			}
			if strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "camshare-test-secret") {
				t.Fatalf("error is not one clean line: %q", err)
			}
		})
	}
}

func fetch(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET link: %d %v %.200s", resp.StatusCode, err, body)
	}
	return body
}
