// Package shipbench measures camshare ship against the cron job it replaces
// (`rclone moveto --no-traverse` per file, Debian's rclone binary), on the
// same files and the same rclone S3 server. Run it with bench/ship.sh.
//
//   - latency: from a segment's rename (NAME.tmp → NAME.mp4) to its verified
//     presence on the remote (the OnShipped callback, which fires after the
//     copy is checked), over 25 segments shipped one by one, with the watcher;
//   - CPU: user+system seconds to ship N segments with one in-process
//     Shipper vs N `rclone moveto` processes, and their ratio.
//
// The S3 server runs in a child process (this test binary re-run as
// TestHelperS3Server), so neither side's CPU figure includes the server's.
package shipbench

import (
	"bufio"
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/logging"
	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/testkit/rclonetest"
	"github.com/camshare/camshare/ship"
)

// segSize is about a minute of a 500 kbit/s camera; SHIPBENCH_MIB changes it.
var segSize = envInt("SHIPBENCH_MIB", 4) << 20

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

const (
	latencyN   = 25
	cpuN       = 20
	helperFlag = "SHIPBENCH_SERVE"
)

// TestHelperS3Server is the child process: it serves S3 until stdin closes.
func TestHelperS3Server(t *testing.T) {
	if os.Getenv(helperFlag) == "" {
		return
	}
	srv := rclonetest.S3(t)
	fmt.Printf("%s\n", srv.Addr)
	bufio.NewReader(os.Stdin).ReadString('\n') // EOF when the parent ends
}

// server starts the child and returns a remote spec for camshare and the
// env-var remote "ref:" for rclone 1.60.
func server(b *testing.B) (spec string, refEnv []string) {
	c := exec.Command(os.Args[0], "-test.run=^TestHelperS3Server$", "-test.v=false")
	c.Env = append(os.Environ(), helperFlag+"=1")
	stdin, _ := c.StdinPipe()
	stdout, _ := c.StdoutPipe()
	c.Stderr = nil
	if err := c.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stdin.Close(); c.Wait() })
	addr, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatalf("S3 helper: %v", err)
	}
	addr = strings.TrimSpace(addr)
	spec = fmt.Sprintf(":s3,provider=Other,endpoint='http://%s',access_key_id=%s,secret_access_key=%s,region=us-east-1,force_path_style=true:%s",
		addr, rclonetest.AccessKey, rclonetest.SecretKey, rclonetest.Bucket)
	refEnv = []string{
		"RCLONE_CONFIG=" + filepath.Join(b.TempDir(), "none.conf"),
		"RCLONE_CONFIG_REF_TYPE=s3", "RCLONE_CONFIG_REF_PROVIDER=Other",
		"RCLONE_CONFIG_REF_ENDPOINT=http://" + addr, "RCLONE_CONFIG_REF_REGION=us-east-1",
		"RCLONE_CONFIG_REF_ACCESS_KEY_ID=" + rclonetest.AccessKey,
		"RCLONE_CONFIG_REF_SECRET_ACCESS_KEY=" + rclonetest.SecretKey,
		"RCLONE_CONFIG_REF_FORCE_PATH_STYLE=true",
	}
	return spec, refEnv
}

func scheme(b *testing.B) *layout.Scheme {
	s, err := layout.New(layout.DefaultName, layout.DefaultDir, true)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// write makes segment i the recorder's way and returns its name and the
// moment of the rename.
func write(b *testing.B, dir string, sc *layout.Scheme, start time.Time, i int) (string, time.Time) {
	name := sc.Name(start.Add(time.Duration(i) * time.Minute))
	data := make([]byte, segSize)
	rand.Read(data)
	tmp := filepath.Join(dir, sc.TempName(name))
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		b.Fatal(err)
	}
	at := time.Now()
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		b.Fatal(err)
	}
	return name, at
}

func cpu(who int) time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(who, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkShip(b *testing.B) {
	rclone, err := exec.LookPath("rclone")
	if err != nil {
		b.Fatal("rclone not installed (./test.sh installs Debian's rclone)")
	}
	sc := scheme(b)
	spec, refEnv := server(b)
	ctx, err := remote.Setup(context.Background(), remote.Options{
		ConfigPath: filepath.Join(b.TempDir(), "none.conf"), Transfers: 2, LowLevelRetries: 3,
	}, logging.Discard())
	if err != nil {
		b.Fatal(err)
	}
	for run := 0; run < b.N; run++ {
		start := time.Date(2024, 3, 23, 10, 0, 0, 0, time.UTC).Add(time.Duration(run) * 24 * time.Hour)

		// Latency, with the watcher, one segment at a time.
		dir := b.TempDir()
		dest, err := remote.Open(ctx, spec+"/lat")
		if err != nil {
			b.Fatal(err)
		}
		shipped := make(chan time.Time, latencyN)
		s, err := ship.New(ship.Options{Sources: []ship.Source{{Dir: dir, Dest: dest}}, Scheme: sc,
			OnShipped: func(context.Context, ship.Shipped) { shipped <- time.Now() }})
		if err != nil {
			b.Fatal(err)
		}
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- s.Run(rctx) }()
		var lat []time.Duration
		for i := 0; i < latencyN; i++ {
			_, renamed := write(b, dir, sc, start, i)
			select {
			case at := <-shipped:
				lat = append(lat, at.Sub(renamed))
			case <-time.After(2 * time.Minute):
				b.Fatalf("segment %d not shipped", i)
			}
		}
		cancel()
		<-done
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		p50, p95 := lat[len(lat)/2], lat[(len(lat)*95+99)/100-1]
		fmt.Printf("latency rename→remote over %d × %d MiB: p50 %.3fs p95 %.3fs max %.3fs (target p95 ≤ 5s; cron reference 60–360s)\n",
			latencyN, segSize>>20, p50.Seconds(), p95.Seconds(), lat[len(lat)-1].Seconds())
		b.ReportMetric(p50.Seconds(), "p50-s")
		b.ReportMetric(p95.Seconds(), "p95-s")

		// CPU: the same N segments, once through one Shipper, once through
		// N rclone moveto processes.
		camDir, refDir, onceDir := b.TempDir(), b.TempDir(), b.TempDir()
		var names []string
		for i := 0; i < cpuN; i++ {
			name, _ := write(b, camDir, sc, start.Add(time.Hour), i)
			data, _ := os.ReadFile(filepath.Join(camDir, name))
			os.WriteFile(filepath.Join(refDir, name), data, 0o644)
			os.WriteFile(filepath.Join(onceDir, name), data, 0o644)
			names = append(names, name)
		}
		camDest, err := remote.Open(ctx, spec+"/cpu-cam")
		if err != nil {
			b.Fatal(err)
		}
		if p := os.Getenv("SHIPBENCH_CPUPROFILE"); p != "" {
			f, err := os.Create(p)
			if err != nil {
				b.Fatal(err)
			}
			pprof.StartCPUProfile(f)
		}
		before := cpu(syscall.RUSAGE_SELF)
		s, err = ship.New(ship.Options{Sources: []ship.Source{{Dir: camDir, Dest: camDest}}, Scheme: sc, Once: true})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Run(ctx); err != nil {
			b.Fatal(err)
		}
		camCPU := cpu(syscall.RUSAGE_SELF) - before
		pprof.StopCPUProfile()

		var refCPU time.Duration
		env := append(withoutCABundle(os.Environ()), refEnv...)
		for _, name := range names {
			p, _ := sc.RemotePath(name)
			c := exec.Command(rclone, "moveto", "--no-traverse", filepath.Join(refDir, name),
				"ref:"+path.Join(rclonetest.Bucket, "cpu-ref", p))
			c.Env = env
			if out, err := c.CombinedOutput(); err != nil {
				b.Fatalf("rclone moveto: %v\n%s", err, out)
			}
			refCPU += c.ProcessState.UserTime() + c.ProcessState.SystemTime()
		}
		if left, _ := os.ReadDir(camDir); len(left) != 0 {
			b.Fatalf("camshare left %d files", len(left))
		}
		if left, _ := os.ReadDir(refDir); len(left) != 0 {
			b.Fatalf("rclone left %d files", len(left))
		}
		// For cron users: one `camshare ship --once` process, start-up and
		// all, on the same files.
		c := exec.Command(camshareBin(b), "ship", "--once", "--utc", "--dir", onceDir, "--to", spec+"/cpu-once")
		c.Env = append(os.Environ(), refEnv[0]) // no rclone config
		if out, err := c.CombinedOutput(); err != nil {
			b.Fatalf("camshare ship --once: %v\n%s", err, out)
		}
		onceCPU := c.ProcessState.UserTime() + c.ProcessState.SystemTime()
		fmt.Printf("CPU of one `camshare ship --once` process for the same %d segments: %.3fs, ratio %.3f\n",
			cpuN, onceCPU.Seconds(), onceCPU.Seconds()/refCPU.Seconds())

		ratio := camCPU.Seconds() / refCPU.Seconds()
		fmt.Printf("CPU to ship %d × %d MiB: camshare in-process %.3fs, %d × rclone moveto %.3fs, ratio %.3f (target ≤ 0.2)\n",
			cpuN, segSize>>20, camCPU.Seconds(), cpuN, refCPU.Seconds(), ratio)
		b.ReportMetric(ratio, "cpu-ratio")
	}
}

// withoutCABundle: Debian's rclone 1.60 (AWS SDK v1) fails on start-up with
// AWS_CA_BUNDLE set to a system bundle in this environment; camshare itself
// runs with it set.
func withoutCABundle(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "AWS_CA_BUNDLE=") {
			out = append(out, kv)
		}
	}
	return out
}

// camshareBin builds the binary once.
func camshareBin(b *testing.B) string {
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "shipbench")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "camshare")
		if out, err := exec.Command("go", "build", "-o", binPath, "github.com/camshare/camshare").CombinedOutput(); err != nil {
			binErr = fmt.Errorf("%v\n%s", err, out)
		}
	})
	if binErr != nil {
		b.Fatal(binErr)
	}
	return binPath
}

var (
	binOnce sync.Once
	binPath string
	binErr  error
)
