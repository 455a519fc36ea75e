// Package prunebench compares `camshare prune --keep 30d` with the hand-made
// way, `rclone delete --min-age 30d` then `rclone rmdirs` (Debian's rclone
// binary), on the same 40-day archive (40 × 288 segments) in rclone's own
// S3 server, each behind a reverse proxy on 127.0.0.1 that counts the HTTP
// requests. Run it with bench/prune.sh.
package prunebench

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/testkit/rclonetest"
	"github.com/camshare/camshare/prune"
)

const (
	days   = 40
	perDay = 288
)

func BenchmarkPruneVsRclone(b *testing.B) {
	rclone, err := exec.LookPath("rclone")
	if err != nil {
		b.Fatal("rclone not installed (./test.sh installs Debian's rclone)")
	}
	s, err := layout.New(layout.DefaultName, layout.DefaultDir, true)
	if err != nil {
		b.Fatal(err)
	}
	// Segments sit 2m30s off the 5-minute grid, so the 30-day cut-off
	// (rclone's moves with its start, camshare is given the same clock)
	// falls between segments, not on one.
	first := time.Now().UTC().Truncate(5 * time.Minute).Add(-days*24*time.Hour + 150*time.Second)

	for i := 0; i < b.N; i++ {
		// One server each, seeded before its first request (the server
		// caches folders, so a tree written under a running one is stale).
		ref, cam := rclonetest.S3(b), rclonetest.S3(b)
		seed(b, ref.Root, s, first)
		seed(b, cam.Root, s, first)
		refProxy, camProxy := proxy(b, ref.Addr), proxy(b, cam.Addr)

		// The hand-made way: rclone 1.60 as a subprocess, configured by
		// environment, with the defaults a user would have.
		env := append(withoutCABundle(os.Environ()),
			"RCLONE_CONFIG="+filepath.Join(b.TempDir(), "none.conf"),
			"RCLONE_CONFIG_REF_TYPE=s3", "RCLONE_CONFIG_REF_PROVIDER=Other",
			"RCLONE_CONFIG_REF_ENDPOINT=http://"+refProxy.addr, "RCLONE_CONFIG_REF_REGION=us-east-1",
			"RCLONE_CONFIG_REF_ACCESS_KEY_ID="+rclonetest.AccessKey,
			"RCLONE_CONFIG_REF_SECRET_ACCESS_KEY="+rclonetest.SecretKey,
			"RCLONE_CONFIG_REF_FORCE_PATH_STYLE=true")
		target := "ref:" + rclonetest.Bucket
		began, cpu0 := time.Now(), selfCPU()
		refStart := began // rclone's --min-age counts from its start: camshare's cut-off is the same
		var refCPU time.Duration
		for _, args := range [][]string{{"delete", "--min-age", "30d", target}, {"rmdirs", "--leave-root", target}} {
			c := exec.Command(rclone, args...)
			c.Env = env
			if out, err := c.CombinedOutput(); err != nil {
				b.Fatalf("rclone %v: %v\n%s", args, err, out)
			}
			refCPU += c.ProcessState.UserTime() + c.ProcessState.SystemTime()
		}
		refWall := time.Since(began)
		refCPU += selfCPU() - cpu0 // the server's share, in this process

		// camshare in-process (no process start): what `camshare prune
		// REMOTE --keep 30d --utc` does after parsing its flags.
		spec := fmt.Sprintf(":s3,provider=Rclone,endpoint='http://%s',access_key_id=%s,secret_access_key=%s,region=us-east-1,force_path_style=true:%s",
			camProxy.addr, rclonetest.AccessKey, rclonetest.SecretKey, rclonetest.Bucket)
		began, cpu0 = time.Now(), selfCPU()
		ctx, err := remote.Setup(context.Background(), remote.Options{}, nil)
		if err != nil {
			b.Fatal(err)
		}
		dest, err := remote.Open(ctx, spec)
		if err != nil {
			b.Fatal(err)
		}
		res, err := prune.Run(ctx, prune.Options{Dest: dest, Scheme: s, Keep: 30 * 24 * time.Hour, Segment: 5 * time.Minute,
			Now: func() time.Time { return refStart }})
		if err != nil {
			b.Fatalf("camshare prune: %v", err)
		}
		camWall, camCPU := time.Since(began), selfCPU()-cpu0

		refLeft, camLeft := files(b, ref.Root), files(b, cam.Root)
		if strings.Join(refLeft, "\n") != strings.Join(camLeft, "\n") {
			b.Fatalf("the tools left different archives: rclone %d files, camshare %d", len(refLeft), len(camLeft))
		}
		b.Logf("camshare deleted %d files over %d days", res.DeletedFiles, res.Days)
		b.Logf("%d segments seeded, %d left by both", days*perDay, len(refLeft))
		b.Logf("request latency added by the proxy: %s", latency)
		b.Logf("%-34s %10s %10s %9s %s", "", "wall", "cpu", "requests", "by method")
		b.Logf("%-34s %10s %10s %9d %s", "rclone delete --min-age + rmdirs", refWall.Round(time.Millisecond), refCPU.Round(time.Millisecond), refProxy.total(), refProxy.methods())
		b.Logf("%-34s %10s %10s %9d %s", "camshare prune --keep 30d", camWall.Round(time.Millisecond), camCPU.Round(time.Millisecond), camProxy.total(), camProxy.methods())
		b.Logf("ratio camshare/rclone: wall %.3f×, cpu %.3f× (client+server), requests %.3f×",
			camWall.Seconds()/refWall.Seconds(), camCPU.Seconds()/refCPU.Seconds(), float64(camProxy.total())/float64(refProxy.total()))
		b.ReportMetric(camWall.Seconds()/refWall.Seconds(), "wall-ratio")
		b.ReportMetric(float64(camProxy.total())/float64(refProxy.total()), "request-ratio")
		b.ReportMetric(camCPU.Seconds()/refCPU.Seconds(), "cpu-ratio")
		b.ReportMetric(camWall.Seconds(), "camshare-s")
		b.ReportMetric(refWall.Seconds(), "rclone-s")
	}
}

// withoutCABundle drops AWS_CA_BUNDLE: rclone 1.60's AWS SDK v1 cannot
// fit it into rclone's HTTP transport and refuses to start ("unsupported
// transport"); the server here is plain http, so it changes nothing else.
func withoutCABundle(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "AWS_CA_BUNDLE=") {
			out = append(out, kv)
		}
	}
	return out
}

// seed writes the archive straight into the bucket's folder, each file's
// modification time that of its name (so --min-age selects the same files
// camshare selects by name).
func seed(b *testing.B, root string, s *layout.Scheme, first time.Time) {
	b.Helper()
	for i := 0; i < days*perDay; i++ {
		at := first.Add(time.Duration(i) * 5 * time.Minute)
		rel, err := s.RemotePath(s.Name(at))
		if err != nil {
			b.Fatal(err)
		}
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("segment"), 0o644); err != nil {
			b.Fatal(err)
		}
		if err := os.Chtimes(p, at, at); err != nil {
			b.Fatal(err)
		}
	}
}

// files lists what is left below root.
func files(b *testing.B, root string) []string {
	var out []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// latency is added to every request (LATENCY=20ms): loopback has none,
// a real remote's round trip is what a prune waits on.
var latency = func() time.Duration {
	d, _ := time.ParseDuration(os.Getenv("LATENCY"))
	return d
}()

// selfCPU is the CPU time this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// counter is a reverse proxy on 127.0.0.1 that counts requests by method.
type counter struct {
	addr string
	mu   sync.Mutex
	n    map[string]int
}

func proxy(b *testing.B, backend string) *counter {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	c := &counter{addr: ln.Addr().String(), n: map[string]int{}}
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: "http", Host: backend})
	// Keep a connection per request in flight: the default two idle
	// connections would make the proxy reconnect on most requests.
	rp.Transport = &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256}
	// The client signed the Host it sent (this proxy); pass it on as is.
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		c.n[r.Method]++
		c.mu.Unlock()
		time.Sleep(latency)
		rp.ServeHTTP(w, r)
	})}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return c
}

func (c *counter) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := 0
	for _, n := range c.n {
		t += n
	}
	return t
}

func (c *counter) methods() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var parts []string
	for m, n := range c.n {
		parts = append(parts, fmt.Sprintf("%s %d", m, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}
