package ship

import (
	"bytes"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rclone/rclone/fs/config"

	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// camshare builds the real binary once per test run (linking rclone takes a
// while on a shared machine, so only the tests that need it pay for it).
func camshare(t *testing.T) string {
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "camshare-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "camshare")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/camshare/camshare").CombinedOutput()
		if err != nil {
			buildErr = err
			binPath = string(out)
		}
	})
	if buildErr != nil {
		t.Fatalf("go build: %v\n%s", buildErr, binPath)
	}
	return binPath
}

// command runs camshare with a config file of its own.
func command(t *testing.T, env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(camshare(t), args...)
	cmd.Env = append(os.Environ(), "RCLONE_CONFIG="+filepath.Join(t.TempDir(), "none.conf"))
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

// SIGKILL mid-upload, then a restart: every file ends up on the remote
// exactly once, and at no moment was a local file gone without its complete
// remote copy.
//
// Backends differ in what a killed upload leaves: rclone's S3 server stores
// an object only when its body is complete; the local and SFTP backends
// upload to NAME.mp4.XXXXXXXX.partial and rename, and since XXXXXXXX hashes
// the name and the source's size and time, the retry reuses that name and
// no .partial is left over; rclone's WebDAV server keeps a torn NAME.mp4,
// which the restart must (and does) replace.
func TestKilledMidUpload(t *testing.T) {
	for name, backend := range map[string]func(testing.TB) (spec, root string){
		"local":  func(t testing.TB) (string, string) { d := t.TempDir(); return d, d },
		"s3":     serverRemote(rclonetest.S3),
		"webdav": serverRemote(rclonetest.WebDAV),
		"sftp":   serverRemote(rclonetest.SFTP),
	} {
		t.Run(name, func(t *testing.T) { killedMidUpload(t, backend) })
	}
}

func killedMidUpload(t *testing.T, backend func(testing.TB) (spec, root string)) {
	spec, root := backend(t)
	sc := scheme(t)
	dir := t.TempDir()
	want := map[string][]byte{}
	for i := range 4 {
		n, data := segment(t, dir, sc, i, 1<<20)
		want[n] = data
	}
	root = filepath.Join(root, "cam")

	// The watchdog: a local file that is gone must already be complete on
	// the remote (the remote side is checked after the local one).
	var violation atomic.Value
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
			for n, data := range want {
				if _, err := os.Stat(filepath.Join(dir, n)); !os.IsNotExist(err) {
					continue
				}
				if st, err := os.Stat(remoteFile(t, root, sc, n)); err != nil || st.Size() != int64(len(data)) {
					violation.Store(n + " deleted locally before its remote copy was complete")
				}
			}
		}
	}()
	defer func() { close(stop); wg.Wait() }()

	var out bytes.Buffer
	slow := command(t, nil, "ship", "--dir", dir, "--to", spec+"/cam", "--utc",
		"--bwlimit", "400k", "--transfers", "1", "--low-level-retries", "1", "-v")
	slow.Stdout, slow.Stderr = &out, &out
	if err := slow.Start(); err != nil {
		t.Fatal(err)
	}
	first := sc.Name(base)
	eventually(t, "the first segment shipped", func() bool {
		_, err := os.Stat(filepath.Join(dir, first))
		return os.IsNotExist(err)
	})
	time.Sleep(1200 * time.Millisecond) // well into the second 1 MiB at 400 kB/s
	slow.Process.Signal(syscall.SIGKILL)
	slow.Wait()
	t.Logf("killed run:\n%s", out.String())
	if _, names := localBytes(t, dir); len(names) < 2 {
		t.Fatalf("the kill came too late: only %q left", names)
	}

	again := command(t, nil, "ship", "--dir", dir, "--to", spec+"/cam", "--utc", "--once", "--low-level-retries", "1")
	b, err := again.CombinedOutput()
	if err != nil {
		t.Fatalf("restart: %v\n%s", err, b)
	}
	t.Logf("restart:\n%s", b)
	time.Sleep(50 * time.Millisecond) // one more watchdog round
	if v := violation.Load(); v != nil {
		t.Fatal(v)
	}
	var segments []string
	for _, p := range remoteNames(t, root) {
		if _, ok := sc.Time(path.Base(p)); ok {
			segments = append(segments, p)
		} else {
			t.Errorf("left on the remote, not a segment: %s", p)
		}
	}
	if len(segments) != len(want) {
		t.Fatalf("remote holds segments %q, want each of the %d once", segments, len(want))
	}
	for n, data := range want {
		checkLanded(t, root, sc, n, data, dir)
	}
}

// Bad input: one line on stderr starting "camshare: ", exit 1 (2 for usage),
// and every local segment still there.
func TestBadInput(t *testing.T) {
	sc := scheme(t)
	dir := t.TempDir()
	segment(t, dir, sc, 0, 1000)
	conf := filepath.Join(t.TempDir(), "rclone.conf")
	os.WriteFile(conf, []byte("[mybox]\ntype = local\n\n[other]\ntype = local\n"), 0o600)
	srv := rclonetest.S3(t)
	wrongKey := strings.Replace(srv.Remote, rclonetest.SecretKey, "not-the-key", 1)
	enc := filepath.Join(t.TempDir(), "enc.conf")
	writeEncrypted(t, enc, "[mybox]\ntype = local\n", "right password")

	for _, tc := range []struct {
		name     string
		env      []string
		args     []string
		code     int
		contains string
	}{
		{"unknown remote", nil, []string{"--config", conf, "--to", "nosuch:cam"}, 1, `unknown remote "nosuch": configured remotes in`},
		{"lists remotes", nil, []string{"--config", conf, "--to", "nosuch:cam"}, 1, "mybox, other"},
		{"missing folder", nil, []string{"--dir", filepath.Join(dir, "gone"), "--to", t.TempDir()}, 1, "does not exist"},
		{"wrong config password", []string{"RCLONE_CONFIG_PASS=wrong"}, []string{"--config", enc, "--to", "mybox:cam"}, 1, "wrong password"},
		{"encrypted, no password", []string{"RCLONE_CONFIG_PASS="}, []string{"--config", enc, "--to", "mybox:cam"}, 1, "RCLONE_CONFIG_PASS"},
		{"wrong S3 keys", nil, []string{"--to", wrongKey + "/cam", "--low-level-retries", "1"}, 1, "1 segment(s) not shipped: the remote refused access (check its keys/permissions)"},
		{"no --to", nil, nil, 2, "--dir and --to are required"},
		{"bad size", nil, []string{"--to", t.TempDir(), "--max-local", "lots"}, 2, "--max-local"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"ship", "--once"}, tc.args...)
			if !strings.Contains(strings.Join(args, " "), "--dir") {
				args = append(args, "--dir", dir)
			}
			cmd := command(t, tc.env, args...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			}
			msg := stderr.String()
			// Log lines may come first (a --once run that got going); the
			// error itself is the one last line.
			lines := strings.Split(strings.TrimSuffix(msg, "\n"), "\n")
			last := lines[len(lines)-1]
			if code != tc.code || !strings.Contains(last, tc.contains) ||
				!strings.HasPrefix(last, "camshare: ") || strings.Count(msg, "camshare: ") != 1 {
				t.Errorf("exit %d, stderr %q; want exit %d and one line with %q", code, msg, tc.code, tc.contains)
			}
			t.Logf("stderr: %s", msg)
			if strings.Contains(msg, "right password") || strings.Contains(msg, "not-the-key") {
				t.Errorf("password leaked: %q", msg)
			}
			if _, names := localBytes(t, dir); len(names) != 1 {
				t.Errorf("local segments now %q", names)
			}
		})
	}
}

// writeEncrypted writes an rclone config encrypted with password, as
// `rclone config encryption set` does.
func writeEncrypted(t *testing.T, path, plain, password string) {
	if err := config.SetConfigPassword(password); err != nil {
		t.Fatal(err)
	}
	defer config.ClearConfigPassword()
	var buf bytes.Buffer
	if err := config.Encrypt(strings.NewReader(plain), &buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// The command wires --layout, --name/--utc and --once: a custom folder
// pattern places the segment, exit 0, local copy gone.
func TestCommandLayout(t *testing.T) {
	sc := scheme(t)
	dir, dest := t.TempDir(), t.TempDir()
	name, data := segment(t, dir, sc, 0, 3000)
	out, err := command(t, nil, "ship", "--once", "--dir", dir, "--to", dest+"/cam", "--utc", "--layout", "%Y/%m-%d").CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	got, err := os.ReadFile(filepath.Join(dest, "cam", "2024", "03-23", name))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("not at cam/2024/03-23/%s: %v\n%s", name, err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
		t.Fatalf("still local")
	}
}
