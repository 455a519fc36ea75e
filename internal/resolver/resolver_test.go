package resolver

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

// playAndroid removes the system resolv.conf for the test and sets $PREFIX
// to a Termux-like tree whose resolv.conf names server (an IP: resolv.conf
// has no ports).
func playAndroid(t *testing.T, server string) {
	t.Helper()
	old := systemResolvConf
	systemResolvConf = filepath.Join(t.TempDir(), "no-resolv.conf")
	t.Cleanup(func() { systemResolvConf = old })
	prefix := t.TempDir()
	os.MkdirAll(filepath.Join(prefix, "etc"), 0o755)
	body := fmt.Sprintf("# Termux\nnameserver %s\n", server)
	os.WriteFile(filepath.Join(prefix, "etc", "resolv.conf"), []byte(body), 0o644)
	t.Setenv("PREFIX", prefix)
}

func keepDefault(t *testing.T) {
	old := net.DefaultResolver
	t.Cleanup(func() { net.DefaultResolver = old })
}

func TestChooseTermuxResolvConf(t *testing.T) {
	playAndroid(t, "10.0.0.7")
	c, err := Choose("")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Servers) != 1 || c.Servers[0] != "10.0.0.7:53" || !strings.HasSuffix(c.Source, "etc/resolv.conf") {
		t.Fatalf("choice = %+v", c)
	}
	// --dns wins over the file.
	c, err = Choose("1.1.1.1, [2606:4700::1111]:5353")
	if err != nil || c.Source != "--dns" || c.Servers[0] != "1.1.1.1:53" || c.Servers[1] != "[2606:4700::1111]:5353" {
		t.Fatalf("choice = %+v, %v", c, err)
	}
	if _, err := Choose("dns.google"); err == nil {
		t.Fatal("a name as name server was accepted")
	}
}

func TestChooseLeavesSystemAlone(t *testing.T) {
	dir := t.TempDir()
	old := systemResolvConf
	systemResolvConf = filepath.Join(dir, "resolv.conf")
	t.Cleanup(func() { systemResolvConf = old })
	os.WriteFile(systemResolvConf, []byte("nameserver 9.9.9.9\n"), 0o644)
	c, err := Choose("")
	if err != nil || len(c.Servers) != 0 || c.Source != "system" {
		t.Fatalf("choice = %+v, %v", c, err)
	}
}

// The chosen server answers lookups, and plain HTTP clients (which dial
// through net.DefaultResolver) reach a host only it knows.
func TestLookupAndHTTPThroughChosenServer(t *testing.T) {
	keepDefault(t)
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello") }))
	defer web.Close()
	dns := startDNS(t, map[string]net.IP{"cam.camshare.test.": net.IPv4(127, 0, 0, 1)})
	if _, err := Setup(dns.Addr); err != nil {
		t.Fatal(err)
	}
	addrs, err := net.DefaultResolver.LookupHost(context.Background(), "cam.camshare.test")
	if err != nil || len(addrs) != 1 || addrs[0] != "127.0.0.1" {
		t.Fatalf("lookup = %v, %v", addrs, err)
	}
	_, port, _ := net.SplitHostPort(web.Listener.Addr().String())
	resp, err := (&http.Client{Transport: &http.Transport{}}).Get("http://cam.camshare.test:" + port + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "hello" {
		t.Fatalf("body %q", body)
	}
	if dns.Queries.Load() == 0 {
		t.Fatal("the test name server was never asked")
	}
}

// rclone's own HTTP (here the S3 backend) resolves through the chosen
// server too: the endpoint's name is known only to the test server.
func TestRcloneResolvesThroughChosenServer(t *testing.T) {
	keepDefault(t)
	srv := rclonetest.S3(t)
	dns := startDNS(t, map[string]net.IP{"s3.camshare.test.": net.IPv4(127, 0, 0, 1)})
	if _, err := Setup(dns.Addr); err != nil {
		t.Fatal(err)
	}
	ctx, err := remote.Setup(context.Background(), remote.Options{ConfigPath: filepath.Join(t.TempDir(), "none.conf")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	spec := strings.Replace(srv.Remote, "http://127.0.0.1:", "http://s3.camshare.test:", 1)
	if spec == srv.Remote {
		t.Fatalf("remote has no 127.0.0.1 endpoint: %s", srv.Remote)
	}
	f, err := remote.Open(ctx, spec+"/probe")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.List(ctx, ""); err != nil && err != fs.ErrorDirNotFound {
		t.Fatalf("list through s3.camshare.test: %v", err)
	}
	if dns.Queries.Load() == 0 {
		t.Fatal("the test name server was never asked")
	}
}
