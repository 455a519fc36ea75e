// Package rgw runs Debian's Ceph RADOS Gateway for tests: an S3 server that
// enforces object ACLs, bucket policies and presigned V4 expiry, which
// rclone's in-process S3 server does not. One monitor, one OSD keeping its
// data in memory (memstore) and radosgw with the beast frontend, all on
// loopback ports, in a temp dir; about 20 s to start on an idle machine.
//
// One cluster serves a whole test binary: call Main from TestMain and Shared
// from each test; every test gets its own bucket (Bucket).
package rgw

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Server is one running cluster.
type Server struct {
	Endpoint  string // http://127.0.0.1:PORT, path-style buckets
	AccessKey string
	SecretKey string

	dir   string
	conf  string
	procs map[string]*process // by daemon name: mon.a, osd.0, client.rgw
}

// process is one running daemon; done closes once it has exited.
type process struct {
	cmd  *exec.Cmd
	done chan struct{}
}

// startTimeout is generous: the machines that run the suite are shared and
// often loaded (the cluster creates RGW's pools on first start).
const startTimeout = 4 * time.Minute

// Start makes a cluster in a new temp dir and waits until radosgw answers
// and the S3 user exists. Close stops it and removes the dir.
func Start(ctx context.Context) (*Server, error) {
	dir, err := os.MkdirTemp("", "camshare-rgw-")
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir, conf: filepath.Join(dir, "ceph.conf"), procs: map[string]*process{}}
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	if err := s.start(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Server) start(ctx context.Context) error {
	monPort, err := freePort()
	if err != nil {
		return err
	}
	rgwPort, err := freePort()
	if err != nil {
		return err
	}
	s.Endpoint = fmt.Sprintf("http://127.0.0.1:%d", rgwPort)
	fsid := newUUID()
	for _, sub := range []string{"mon/a", "osd/0", "rgw", "run", "log"} {
		if err := os.MkdirAll(filepath.Join(s.dir, sub), 0o755); err != nil {
			return err
		}
	}
	if err := os.WriteFile(s.conf, []byte(config(s.dir, fsid, monPort, rgwPort)), 0o644); err != nil {
		return err
	}
	if err := s.makeMonitor(ctx, fsid, monPort); err != nil {
		return err
	}
	if err := s.daemon("mon.a"); err != nil {
		return err
	}
	// Every daemon asks the monitor for its config at start, mkfs too.
	if err := run(ctx, "ceph-osd", "-c", s.conf, "--mkfs", "-i", "0"); err != nil {
		return err
	}
	for _, name := range []string{"osd.0", "client.rgw"} {
		if err := s.daemon(name); err != nil {
			return err
		}
	}
	if err := s.waitGateway(ctx); err != nil {
		return err
	}
	return s.makeUser(ctx)
}

// makeMonitor writes the monitor's store, seeded with a monitor map and an
// OSD map that already holds osd.0 (no `ceph osd create` round trip through
// the slow python CLI).
func (s *Server) makeMonitor(ctx context.Context, fsid string, monPort int) error {
	monmap, osdmap := filepath.Join(s.dir, "monmap"), filepath.Join(s.dir, "osdmap")
	steps := [][]string{
		{"monmaptool", "--create", "--fsid", fsid, "--addv", "a", fmt.Sprintf("[v2:127.0.0.1:%d]", monPort), monmap},
		{"osdmaptool", "-c", s.conf, "--createsimple", "1", "--clobber", osdmap},
		{"ceph-mon", "-c", s.conf, "--mkfs", "-i", "a", "--monmap", monmap, "--osdmap", osdmap},
	}
	for _, args := range steps {
		if err := run(ctx, args[0], args[1:]...); err != nil {
			return err
		}
	}
	return nil
}

// run runs one of Ceph's tools to completion.
func run(ctx context.Context, name string, args ...string) error {
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if ctx.Err() != nil {
		return fmt.Errorf("rgw: %s did not finish within %s: %s", name, startTimeout, tail(string(out)))
	}
	if err != nil {
		return fmt.Errorf("rgw: %s: %v: %s (test.sh installs ceph-mon ceph-osd radosgw ceph-common)", name, err, tail(string(out)))
	}
	return nil
}

// daemon starts one daemon in the foreground; it dies with the test binary
// (Pdeathsig) should Close never run.
func (s *Server) daemon(name string) error {
	typ, id, _ := strings.Cut(name, ".")
	var cmd *exec.Cmd
	switch typ {
	case "client":
		cmd = exec.Command("radosgw", "-c", s.conf, "-n", name, "-f")
	default:
		cmd = exec.Command("ceph-"+typ, "-c", s.conf, "-i", id, "-f")
	}
	out, err := os.OpenFile(filepath.Join(s.dir, "log", name+".out"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer out.Close() // the child has its own copy
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("rgw: start %s: %w (test.sh installs ceph-mon ceph-osd radosgw ceph-common)", name, err)
	}
	p := &process{cmd: cmd, done: make(chan struct{})}
	go func() { cmd.Wait(); close(p.done) }()
	s.procs[name] = p
	return nil
}

// exited says a daemon has stopped.
func (s *Server) exited(name string) bool {
	p := s.procs[name]
	if p == nil {
		return true
	}
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// waitGateway polls radosgw until it answers. A fresh OSD sometimes loses a
// race with the new monitor ("wrong fsid") and exits: it is started again.
func (s *Server) waitGateway(ctx context.Context) error {
	restarts := 0
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		if gatewayAnswers(ctx, s.Endpoint) {
			return nil
		}
		for _, name := range []string{"mon.a", "client.rgw"} {
			if s.exited(name) {
				return fmt.Errorf("rgw: %s exited: %s", name, s.logTail(name))
			}
		}
		if s.exited("osd.0") {
			if restarts++; restarts > 3 {
				return fmt.Errorf("rgw: osd.0 keeps exiting: %s", s.logTail("osd.0"))
			}
			if err := s.daemon("osd.0"); err != nil {
				return err
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("rgw: radosgw did not answer on %s within %s: %s", s.Endpoint, startTimeout, s.logTail("client.rgw"))
		case <-tick.C:
		}
	}
}

func gatewayAnswers(ctx context.Context, endpoint string) bool {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"/", nil)
	if err != nil {
		return false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// makeUser creates the S3 user with fresh keys.
func (s *Server) makeUser(ctx context.Context) error {
	s.AccessKey, s.SecretKey = "CAMSHARE"+strings.ToUpper(randomHex(6)), randomHex(20)
	return run(ctx, "radosgw-admin", "-c", s.conf, "user", "create",
		"--uid=camshare", "--display-name=camshare tests",
		"--access-key="+s.AccessKey, "--secret-key="+s.SecretKey)
}

// Close kills the daemons (memstore: nothing to save) and removes the dir.
func (s *Server) Close() {
	for _, p := range s.procs {
		p.cmd.Process.Kill()
		<-p.done
	}
	os.RemoveAll(s.dir)
}

// leftovers says what Close left behind: a daemon still running or the dir.
func (s *Server) leftovers() error {
	for name, p := range s.procs {
		if err := p.cmd.Process.Signal(syscall.Signal(0)); err == nil {
			return fmt.Errorf("rgw: %s (pid %d) still runs after Close", name, p.cmd.Process.Pid)
		}
	}
	if _, err := os.Stat(s.dir); err == nil {
		return fmt.Errorf("rgw: %s still exists after Close", s.dir)
	}
	return nil
}

// Remote is an rclone connection string for bucket (and a path inside it),
// with extra backend options such as "acl=public-read".
func (s *Server) Remote(bucketPath string, options ...string) string {
	opts := append([]string{"provider=Ceph", "endpoint='" + s.Endpoint + "'",
		"access_key_id=" + s.AccessKey, "secret_access_key=" + s.SecretKey,
		"region=us-east-1", "force_path_style=true"}, options...)
	return ":s3," + strings.Join(opts, ",") + ":" + bucketPath
}

// URL is the unsigned address of an object (path style).
func (s *Server) URL(bucket, key string) string {
	return s.Endpoint + "/" + bucket + "/" + key
}

func (s *Server) logTail(name string) string {
	var b strings.Builder
	for _, f := range []string{name + ".out", name + ".log"} {
		data, _ := os.ReadFile(filepath.Join(s.dir, "log", f))
		b.WriteString(tail(string(data)))
	}
	return b.String()
}

// tail is the last lines of a daemon's output, for an error message.
func tail(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > 8 {
		lines = lines[len(lines)-8:]
	}
	return strings.Join(lines, " | ")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func newUUID() string {
	h := randomHex(16)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
