package remote

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/fspath"
)

// FuzzSpec feeds remote specs (--to, remote:, connection strings) to
// Printable and Open: never a panic, Open's errors are one line, and
// neither ever shows the value of a password or other sensitive option of
// a connection string (unless the same text is also in what may be shown:
// the backend's name or the path). Open runs only for backends that make no
// network call when a folder is opened (local and the wrappers over it):
// the fuzzer must not dial hosts it makes up.
func FuzzSpec(f *testing.F) {
	for _, s := range []string{
		"gdrive:camera", "/tmp/rec", "./here", "justafolder", "nope:cam",
		":s3,provider=Rclone,access_key_id=AK,secret_access_key=S3cr?t/#1:bucket/cam",
		`:s3,endpoint='http://127.0.0.1:9000',secret_access_key="it's:a,secret":bucket`,
		":webdav,url='http://127.0.0.1:28080/',user=dav,pass=davpass:cams",
		":crypt,remote=/tmp/x,password=notobscured:cam", ":crypt,remote=/tmp/x,password=''::",
		":alias,remote='/tmp/a,b':sub", ":union,upstreams='/tmp/a /tmp/b':", ":chunker,remote=/tmp/c,chunk_size=x:",
		":local,copy_links=maybe:/tmp", ":sftp,host=example.invalid,pass=hunter2:", "s3,secret_access_key=SK:bucket",
	} {
		f.Add(s)
	}
	ctx, err := Setup(context.Background(), Options{ConfigPath: os.DevNull}, nil)
	if err != nil {
		f.Fatal(err)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, spec string) {
		t.Chdir(dir) // relative local paths stay in the temp folder
		secrets, shown := secretsOf(spec)
		leaks := func(what, text string) {
			for _, s := range secrets {
				// A short value is found in any message ("ac" in "backend
				// called", testdata's first find): passwords and keys are
				// longer than minSecret.
				if len(s) >= minSecret && strings.Contains(text, s) && !strings.Contains(shown, s) {
					t.Fatalf("%s of %q shows the secret %q: %q", what, spec, s, text)
				}
			}
		}
		leaks("Printable", Printable(spec))
		if !offline(spec) {
			return
		}
		if _, err := Open(ctx, spec); err != nil {
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("Open(%q): error on more than one line: %q", spec, err)
			}
			leaks("Open's error", err.Error())
		}
	})
}

// minSecret is the shortest value checked for: shorter ones are parts of
// ordinary words.
const minSecret = 6

// secretsOf is what a spec's connection string holds that must not be
// shown (specSecrets), and the text that may be (backend name and path).
func secretsOf(spec string) (secrets []string, shown string) {
	p, err := fspath.Parse(spec)
	if err != nil {
		return nil, ""
	}
	name := p.Name
	if i := strings.IndexByte(name, ','); i >= 0 {
		name = name[:i]
	}
	return specSecrets(p), name + ":" + p.Path
}

// offline: every backend the spec could name opens without the network.
func offline(spec string) bool {
	low := strings.ToLower(spec)
	for _, ri := range fs.Registry {
		switch ri.Name {
		case "local", "alias", "crypt", "chunker", "union":
			continue
		}
		if strings.Contains(low, strings.ToLower(ri.Name)) || ri.Prefix != "" && strings.Contains(low, strings.ToLower(ri.Prefix)) {
			return false
		}
	}
	return true
}
