package rclonetest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/operations"
)

// Each server stores what its remote is given, survives Stop/Start on the
// same address, and refuses connections while stopped.
func TestServers(t *testing.T) {
	for name, start := range map[string]func(testing.TB) *Server{"s3": S3, "webdav": WebDAV, "sftp": SFTP} {
		t.Run(name, func(t *testing.T) {
			// One low-level retry: against a stopped server rclone's
			// default ladder (10 × the SDK's attempts) takes minutes.
			ctx, ci := fs.AddConfig(context.Background())
			ci.LowLevelRetries = 1
			srv := start(t)
			f, err := fs.NewFs(ctx, srv.Remote+"/cam")
			if err != nil {
				t.Fatal(err)
			}
			want := []byte("hello " + name)
			if _, err := operations.Rcat(ctx, f, "a/b.txt", nopCloser{bytes.NewReader(want)}, time.Now(), nil); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(filepath.Join(srv.Root, "cam", "a", "b.txt"))
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("stored %q, %v; want %q", got, err, want)
			}

			addr := srv.Addr
			srv.Stop()
			c := Count(f)
			// rclone's sftp server keeps established sessions open after
			// Stop (see Server.Stop), so only the HTTP servers refuse here.
			if _, err := c.NewObject(ctx, "a/b.txt"); err == nil && name != "sftp" {
				t.Fatal("NewObject worked with the server stopped")
			}
			srv.Start()
			if srv.Addr != addr {
				t.Fatalf("restarted on %s, want %s", srv.Addr, addr)
			}
			if _, err := c.NewObject(ctx, "a/b.txt"); err != nil {
				t.Fatalf("after restart: %v", err)
			}
			if _, err := c.List(ctx, "a"); err != nil {
				t.Fatal(err)
			}
			if c.Calls("NewObject") != 2 || c.Lists() != 1 || len(c.Listed()) != 1 || c.Listed()[0] != "a" {
				t.Fatalf("counted NewObject=%d lists=%d listed=%q", c.Calls("NewObject"), c.Lists(), c.Listed())
			}
		})
	}
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }
