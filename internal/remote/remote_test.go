package remote

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The rclone library ignores RCLONE_CONFIG; camshare must not, or users'
// cron set-ups that export it would silently use another config.
func TestRCLONECONFIGIsHonoured(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "rclone.conf")
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(filepath.Join(data, "cam"), 0o755); err != nil {
		t.Fatal(err)
	}
	body := "[home]\ntype = alias\nremote = " + data + "\n\n[nas]\ntype = local\n"
	if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("RCLONE_CONFIG", conf)
	ctx, err := Setup(context.Background(), Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Open(ctx, "home:cam")
	if err != nil {
		t.Fatalf("remote from $RCLONE_CONFIG: %v", err)
	}
	if got := f.Root(); !strings.HasSuffix(got, filepath.Join("data", "cam")) {
		t.Fatalf("home:cam opened %q", got)
	}

	_, err = Open(ctx, "nope:cam")
	if err == nil {
		t.Fatal("unknown remote accepted")
	}
	msg := err.Error()
	for _, want := range []string{`unknown remote "nope"`, "home", "nas", conf} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %q", msg, want)
		}
	}
	if strings.Contains(msg, "\n") {
		t.Errorf("error is not one line: %q", msg)
	}
}

func TestUnreadableConfig(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "rclone.conf")
	// A folder where the file should be: loading fails, and must not exit.
	if err := os.Mkdir(conf, 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := Setup(context.Background(), Options{ConfigPath: conf}, nil)
	if err == nil || !strings.Contains(err.Error(), conf) {
		t.Fatalf("want an error naming %s, got %v", conf, err)
	}
}

func TestBadBwLimit(t *testing.T) {
	_, err := Setup(context.Background(), Options{ConfigPath: os.DevNull, BwLimit: "fast"}, nil)
	if err == nil || !strings.Contains(err.Error(), "--bwlimit") {
		t.Fatalf("want a --bwlimit error, got %v", err)
	}
}

func TestPrintable(t *testing.T) {
	cases := map[string]string{
		"gdrive:camera": "gdrive:camera",
		"/tmp/rec":      "/tmp/rec",
		":s3,provider=Rclone,access_key_id=AK,secret_access_key=SK:bucket/cam": ":s3,…:bucket/cam",
		`:s3,endpoint='http://127.0.0.1:9000',secret_access_key=SK:bucket`:     ":s3,…:bucket",
		"s3,secret_access_key=SK:bucket":                                       "s3,…:bucket",
	}
	for in, want := range cases {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}

// A folder is opened as a folder even when the remote is down: no request
// decides whether it is a file.
func TestOpenIsFolder(t *testing.T) {
	ctx, err := Setup(context.Background(), Options{ConfigPath: os.DevNull}, nil)
	if err != nil {
		t.Fatal(err)
	}
	spec := ":s3,provider=Other,endpoint='http://127.0.0.1:1',access_key_id=AK,secret_access_key=SECRET:bucket/cam"
	f, err := Open(ctx, spec)
	if err != nil {
		t.Fatalf("open with the endpoint down: %v", err)
	}
	if f.Root() != "bucket/cam" {
		t.Fatalf("root = %q", f.Root())
	}
}

// TestBareWordRefused: issue 11 #5, "--to gdrive" (a remote name without
// its colon) silently moved footage into ./gdrive/ with rc 0. A local
// folder must be written as one (/…, ./…); a bare word names the remotes.
func TestBareWordRefused(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "rclone.conf")
	if err := os.WriteFile(conf, []byte("[gdrive]\ntype = local\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, err := Setup(context.Background(), Options{ConfigPath: conf}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	_, err = Open(ctx, "justafolder")
	if err == nil || !strings.Contains(err.Error(), "./justafolder") || !strings.Contains(err.Error(), "gdrive") {
		t.Fatalf("bare word: %v, want a refusal naming ./justafolder and the remote gdrive", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "justafolder")); !os.IsNotExist(err) {
		t.Errorf("the folder was made: %v", err)
	}
	for _, ok := range []string{"./here", filepath.Join(dir, "abs"), "gdrive:cam"} {
		if _, err := Open(ctx, ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}
