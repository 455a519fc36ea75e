package redact

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/rclone/rclone/fs/fspath"
)

func TestURL(t *testing.T) {
	cases := map[string]string{
		"rtsp://admin:s3cret@10.0.0.2:554/h264": "rtsp://admin:xxxxx@10.0.0.2:554/h264",
		"rtsp://10.0.0.2/h264":                  "rtsp://10.0.0.2/h264",
		"rtsp://admin@10.0.0.2/h264":            "rtsp://admin@10.0.0.2/h264",
		"rtsp://admin:p%zz@10.0.0.2/h264":       "rtsp://admin:xxxxx@10.0.0.2/h264",
		"rtsp://admin:a@b@10.0.0.2/x?y=1":       "rtsp://admin:xxxxx@10.0.0.2/x?y=1",
		// issue 11 #2: url.Parse cuts the authority at the first / ? #,
		// which sit inside these passwords.
		"rtsp://user:S3cr?t@host/stream":   "rtsp://user:xxxxx@host/stream",
		"rtsp://user:S3cr#t@host/stream":   "rtsp://user:xxxxx@host/stream",
		"rtsp://user:S3/cr@host/stream":    "rtsp://user:xxxxx@host/stream",
		"rtsp://user:12/34@host/stream":    "rtsp://user:xxxxx@host/stream",
		"rtsp://user:a:b@host/stream":      "rtsp://user:xxxxx@host/stream",
		"rtsp://host/s?user=u&password=pw": "rtsp://host/s?user=u&password=xxxxx",
	}
	for in, want := range cases {
		if got := URL(in); got != want {
			t.Errorf("URL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTextConnectionString(t *testing.T) {
	// issue 11 #3: rclone's error echoes the connection string.
	in := `remote ":webdav,url=http://127.0.0.1:28080/,user=dav,pass=davpass:cams": connection refused`
	got := Text(in)
	if strings.Contains(got, "davpass") {
		t.Fatalf("Text = %q", got)
	}
	if !strings.Contains(got, "user=dav") || !strings.Contains(got, "url=http://127.0.0.1:28080/") {
		t.Errorf("Text masked more than the password: %q", got)
	}
	for _, in := range []string{
		`:s3,provider=Minio,access_key_id=AK,secret_access_key="a,b:c""d":bucket`,
		`:sftp,host=h,key_pem='-----BEGIN KEY----- x':dir`,
		`:drive,token={"access_token":"ya29"}:dir`,
	} {
		got := Text(in)
		for _, s := range []string{`a,b:c""d`, "BEGIN KEY", "ya29"} {
			if strings.Contains(got, s) {
				t.Errorf("Text(%q) = %q keeps %q", in, got, s)
			}
		}
	}
}

// TestSecretsKeepsWords: issue 11 #4, the password "pass" turned
// "password" into "xxxxxword", which tells the reader the password.
func TestSecretsKeepsWords(t *testing.T) {
	msg := "wrong user name or password (camera answered 401 Unauthorized)"
	if got := Error(errors.New(msg), "pass", "word", "a").Error(); got != msg {
		t.Errorf("Error = %q, want it unchanged", got)
	}
	if got := Secrets("login pass failed", "pass"); got != "login xxxxx failed" {
		t.Errorf("Secrets = %q", got)
	}
	if got := Secrets("sent S3cr?t7 to the camera", "S3cr?t7"); strings.Contains(got, "S3cr") {
		t.Errorf("Secrets = %q", got)
	}
}

func TestError(t *testing.T) {
	base := errors.New("dial rtsp://u:hunter2@cam failed")
	err := Error(base)
	if strings.Contains(err.Error(), "hunter2") {
		t.Fatal(err)
	}
	if !errors.Is(err, base) {
		t.Fatal("lost the original error")
	}
}

// rcloneQuote writes a value the way a connection string must hold it.
func rcloneQuote(v string) string {
	if v != "" && !strings.ContainsAny(v, ",:\"'= \t\r\n") {
		return v
	}
	return `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
}

// templates put a secret where users and libraries put one.
var templates = []struct {
	name  string
	ok    func(secret string) bool // the template can hold this secret
	make  func(secret string) string
	scrub func(string) string
}{
	{"URL userinfo", func(string) bool { return true },
		func(s string) string { return "rtsp://admin:" + s + "@10.0.0.2:554/stream?ch=1" }, URL},
	{"URL query", func(string) bool { return true },
		func(s string) string { return "rtsp://10.0.0.2/s?user=admin&password=" + url.QueryEscape(s) }, URL},
	{"text URL", func(s string) bool { return !strings.ContainsAny(s, " \t\r\n") },
		func(s string) string { return "camera rtsp://admin:" + s + "@cam.local/stream is not valid" }, Text},
	{"connection string", func(s string) bool {
		p, err := fspath.Parse(":webdav,user=dav,pass=" + rcloneQuote(s) + ":cams")
		if err != nil || p.Config == nil {
			return false
		}
		v, _ := p.Config.Get("pass")
		return v == s
	}, func(s string) string {
		return `remote ":webdav,url=http://127.0.0.1:8080/,user=dav,pass=` + rcloneQuote(s) + `:cams" failed`
	}, Text},
	{"error", func(s string) bool { return len(s) >= minSecret || !strings.ContainsAny(s, " \t\r\n") },
		func(s string) string { return "wrong user name or password for rtsp://admin:" + s + "@cam/x" }, nil},
}

// checkTemplates: the secret occurs in the output no more often than the
// template's own text explains (the template with the secret cut out, or
// with the mask in its place: "x@cam" is in "admin:xxxxx@cam").
func checkTemplates(t *testing.T, secret string) {
	if secret == "" {
		return
	}
	for _, tc := range templates {
		if !tc.ok(secret) {
			continue
		}
		scrub := tc.scrub
		if scrub == nil {
			scrub = func(s string) string { return Error(errors.New(s), secret).Error() }
		}
		text := tc.make(secret)
		got := scrub(text)
		own := max(strings.Count(tc.make(""), secret), strings.Count(scrub(tc.make(Mask)), secret))
		if strings.Count(got, secret) > own {
			t.Errorf("%s: secret %q survives in %q", tc.name, secret, got)
		}
	}
}

func TestTemplates(t *testing.T) {
	for _, s := range []string{"S3cr?t", "S3cr#t", "a/b@c:d", "pass", "@", ":", "//", "x y", `"q'`, "rtsp://a@b", ",pass=z", "%zz", "password"} {
		checkTemplates(t, s)
	}
}

// FuzzSecret: no secret, with any characters, survives redaction.
func FuzzSecret(f *testing.F) {
	for _, s := range []string{"S3cr?t", "a#b/c@d:e", "pass", `"'`, "x y", "a=b,c=d", "@host/x", "http://u:p@h"} {
		f.Add(s)
	}
	f.Fuzz(checkTemplates)
}
