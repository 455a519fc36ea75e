// Package rclonetest starts rclone's own S3, WebDAV and SFTP servers
// in-process (the `serve/start` rc call) on 127.0.0.1, over a temp folder,
// so camshare's tests talk to real servers instead of mocks.
//
// Each server returns a *Server whose Remote is a connection-string remote
// that needs no rclone config file, e.g.
//
//	srv := rclonetest.S3(t)                  // stopped by t.Cleanup
//	f, err := remote.Open(ctx, srv.Remote+"/cam1")
//	...
//	srv.Stop()   // outage: the port refuses connections
//	srv.Start()  // back on the SAME address, over the same data
//
// What the server stores is in srv.Dir (for S3 the bucket is srv.Dir/bucket,
// see srv.Root), so a test can check files without going through rclone.
// rclone's servers cache directory listings (VFS), so write through Remote,
// not into Dir, while a server runs.
//
// Counting calls: wrap the client side with Count (count.go), which counts
// what the code under test asks of its fs.Fs (List, NewObject, Put, …); that
// is what prune's "lists only the folders it needs" test wants to measure.
//
// Outage tests: set rclone's LowLevelRetries to 1 (remote.Options, or
// fs.AddConfig on the context) before opening the remote; with the default
// (10, multiplied by the S3 SDK's own attempts) one request to a stopped S3
// server takes minutes to fail.
//
// The servers share rclone's process-wide state (accounting, fs cache, the
// global config), as everything in one camshare process does.
package rclonetest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/rclone/rclone/fs/config/obscure"
	"github.com/rclone/rclone/fs/rc"

	// The servers, and the client backends their remotes use.
	_ "github.com/rclone/rclone/backend/local"
	_ "github.com/rclone/rclone/backend/s3"
	_ "github.com/rclone/rclone/backend/sftp"
	_ "github.com/rclone/rclone/backend/webdav"
	_ "github.com/rclone/rclone/cmd/serve/s3"
	_ "github.com/rclone/rclone/cmd/serve/sftp"
	_ "github.com/rclone/rclone/cmd/serve/webdav"
)

// Test credentials. They are not secrets; tests may grep logs for them to
// prove redaction.
const (
	AccessKey = "camshare-test-key"
	SecretKey = "camshare-test-secret"
	User      = "camshare"
	Pass      = "camshare-test-pass"
	Bucket    = "bucket"
)

// Server is one running (or stopped) in-process rclone server.
type Server struct {
	Type   string // "s3", "webdav", "sftp"
	Addr   string // 127.0.0.1:PORT, stable across Stop/Start
	Dir    string // the served folder
	Root   string // where Remote's root lives on disk (Dir/bucket for S3)
	Remote string // connection-string remote for the served root, e.g. ":s3,…:bucket"

	t      testing.TB
	params rc.Params
	mu     sync.Mutex
	id     string // serve/start id while running, "" when stopped
}

// S3 starts rclone's S3 server with one bucket. Remote is
// ":s3,provider=Rclone,endpoint='http://ADDR',…:bucket" (a value holding
// a colon must be quoted in a connection string).
func S3(t testing.TB) *Server {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, Bucket), 0o755); err != nil {
		t.Fatal(err)
	}
	s := &Server{Type: "s3", Dir: dir, Root: filepath.Join(dir, Bucket), t: t,
		params: rc.Params{"auth_key": []string{AccessKey + "," + SecretKey}}}
	s.start("127.0.0.1:0")
	// region and a plain-http endpoint keep the AWS SDK away from the
	// environment's AWS_* settings that matter (AWS_CA_BUNDLE is harmless
	// over http).
	s.Remote = fmt.Sprintf(":s3,provider=Rclone,endpoint='http://%s',access_key_id=%s,secret_access_key=%s,region=us-east-1,force_path_style=true:%s",
		s.Addr, AccessKey, SecretKey, Bucket)
	return s
}

// WebDAV starts rclone's WebDAV server with basic auth.
func WebDAV(t testing.TB) *Server {
	dir := t.TempDir()
	s := &Server{Type: "webdav", Dir: dir, Root: dir, t: t,
		params: rc.Params{"user": User, "pass": Pass}}
	s.start("127.0.0.1:0")
	s.Remote = fmt.Sprintf(":webdav,url='http://%s/',vendor=rclone,user=%s,pass=%s:",
		s.Addr, User, obscure.MustObscure(Pass))
	return s
}

// SFTP starts rclone's SFTP server with password auth and a host key made
// for this test (so nothing is written to rclone's cache folder).
func SFTP(t testing.TB) *Server {
	dir := t.TempDir()
	key := filepath.Join(t.TempDir(), "host_key")
	writeHostKey(t, key)
	s := &Server{Type: "sftp", Dir: dir, Root: dir, t: t,
		params: rc.Params{"user": User, "pass": Pass, "key": []string{key}}}
	s.start("127.0.0.1:0")
	host, port := splitAddr(t, s.Addr)
	s.Remote = fmt.Sprintf(":sftp,host=%s,port=%s,user=%s,pass=%s:",
		host, port, User, obscure.MustObscure(Pass))
	return s
}

// Stop shuts the server down; connections to Addr are refused until Start.
// Stopping a stopped server does nothing. rclone's SFTP server keeps SSH
// sessions that are already open alive, so use S3 or WebDAV for outages.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.id == "" {
		return
	}
	if _, err := call("serve/stop", rc.Params{"id": s.id}); err != nil {
		s.t.Errorf("rclonetest: stop %s: %v", s.Type, err)
	}
	s.id = ""
}

// Start brings a stopped server back on the same address over the same data.
func (s *Server) Start() {
	s.mu.Lock()
	running := s.id != ""
	s.mu.Unlock()
	if !running {
		s.start(s.Addr)
	}
}

func (s *Server) start(addr string) {
	s.t.Helper()
	in := rc.Params{"type": s.Type, "fs": s.Dir, "addr": addr}
	for k, v := range s.params {
		in[k] = v
	}
	out, err := call("serve/start", in)
	if err != nil {
		s.t.Fatalf("rclonetest: start %s on %s: %v", s.Type, addr, err)
	}
	s.mu.Lock()
	s.id, _ = out["id"].(string)
	if s.Addr == "" {
		s.Addr, _ = out["addr"].(string)
	}
	s.mu.Unlock()
	s.t.Cleanup(s.Stop)
}

func call(path string, in rc.Params) (rc.Params, error) {
	c := rc.Calls.Get(path)
	if c == nil {
		return nil, fmt.Errorf("rc call %s not compiled in", path)
	}
	return c.Fn(context.Background(), in)
}

func splitAddr(t testing.TB, addr string) (host, port string) {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == ':' {
			return addr[:i], addr[i+1:]
		}
	}
	t.Fatalf("rclonetest: bad address %q", addr)
	return "", ""
}

func writeHostKey(t testing.TB, path string) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}
