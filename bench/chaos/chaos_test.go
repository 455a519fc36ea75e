// Package chaos is issue 11's chaos run: `camshare run` (a child process:
// this test binary, which is camshare when CHAOS_BE_CAMSHARE is set) records three in-process test cameras and ships to
// rclone's in-process S3 server while a schedule drawn from a fixed seed
// restarts and freezes cameras, takes the remote down and up, SIGKILLs
// camshare and starts it again, and fills the local disk (a tmpfs) past
// min_free. At the end it compares each camera's wall-clock timeline (this
// harness made the faults, so it knows when each camera was sending) with
// what is on the remote, decodes every file with ffmpeg, and prints the
// figures: seconds recorded / seconds up, seconds lost per fault,
// undecodable files, duplicates, files left locally, unshipped deletions,
// credentials in the logs.
//
//	go test ./bench/chaos -run TestChaos -v               # the suite's 120 s run: each fault once
//	CHAOS_SECS=600 CHAOS_SEED=7 go test ./bench/chaos ...  # what bench/chaos.sh runs
//
// The tmpfs needs root (test.sh runs as root or with sudo): a small file
// system of its own is the only way to fill a disk without filling the
// machine's.
package chaos

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/camshare/camshare/cmd"
	"github.com/camshare/camshare/internal/testcam"
	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

const (
	cameras  = 3
	segment  = 5 * time.Second
	diskSize = 192 << 20 // the tmpfs holding the local recordings
	minFree  = 64 << 20  // min_free in the config
	folder   = "chaos"   // remote folder: FOLDER/CAMERA/YYYYMMDD/HH/NAME.mp4
)

// Camera passwords with the characters that used to leak (issue 11 #2).
var camPasswords = [cameras]string{"Ch@os/p?ss#1", "s3cr?t:2/x", "pw#3@/?q"}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// rig is everything the run needs: cameras, remote, the disk, camshare.
type rig struct {
	t       *testing.T
	work    string // temp folder: binary, config, logs
	disk    string // tmpfs mount point
	rec     string // disk/rec: camshare's dir
	config  string
	cams    [cameras]*testcam.Camera
	s3      *rclonetest.Server
	run     *exec.Cmd
	runs    int               // camshare processes started
	started map[int]time.Time // when each was (exec), by number
	done    chan struct{}
}

// beCamshare makes this test binary camshare itself (TestMain): the child
// is the product's own cmd package, without a second link of the binary.
const beCamshare = "CHAOS_BE_CAMSHARE"

func TestMain(m *testing.M) {
	if os.Getenv(beCamshare) != "" {
		os.Exit(cmd.Execute())
	}
	os.Exit(m.Run())
}

func TestChaos(t *testing.T) {
	secs := time.Duration(envInt("CHAOS_SECS", 120)) * time.Second
	seed := uint64(envInt("CHAOS_SEED", 1))
	for _, tool := range []string{"ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s missing: run ./test.sh once (it installs it)", tool)
		}
	}
	r := newRig(t)
	tl := newTimeline(r, seed)
	r.start()
	tl.begin = wallNow()
	tl.play(secs)
	r.drain(tl)
	tl.end = wallNow()
	r.stop()
	v := judge(t, r, tl)
	v.print(t, secs, seed)
	v.check(t)
}

func newRig(t *testing.T) *rig {
	r := &rig{t: t, work: t.TempDir(), started: map[int]time.Time{}}
	r.disk = filepath.Join(r.work, "disk")
	r.rec = filepath.Join(r.disk, "rec")
	if err := os.Mkdir(r.disk, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", r.disk, "tmpfs", 0, fmt.Sprintf("size=%d", diskSize)); err != nil {
		t.Fatalf("mount a %d MiB tmpfs for the disk-full fault: %v (the chaos run needs root; test.sh runs as root or with sudo)", diskSize>>20, err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(r.disk, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", r.disk, err)
		}
	})

	for i := range r.cams {
		c, err := testcam.Start(testcam.Options{User: "admin", Pass: camPasswords[i]})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Close)
		r.cams[i] = c
	}
	r.s3 = rclonetest.S3(t)
	r.writeConfig()
	t.Cleanup(r.keepLogs)
	return r
}

// keepLogs copies camshare's logs and config out of the temp folder when
// the run failed, to read afterwards.
func (r *rig) keepLogs() {
	if !r.t.Failed() {
		return
	}
	dir, err := os.MkdirTemp("", "chaos-failed-")
	if err != nil {
		return
	}
	files, _ := filepath.Glob(filepath.Join(r.work, "camshare*"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			os.WriteFile(filepath.Join(dir, filepath.Base(p)), b, 0o600)
		}
	}
	r.t.Logf("logs kept in %s", dir)
}

func camName(i int) string { return fmt.Sprintf("cam%d", i+1) }

func (r *rig) writeConfig() {
	var b strings.Builder
	fmt.Fprintf(&b, "remote: %q\n", r.s3.Remote+"/"+folder)
	fmt.Fprintf(&b, "dir: %s\nsegment: %s\nmin_free: %dMB\nlive: off\ncameras:\n", r.rec, segment, minFree>>20)
	for i, c := range r.cams {
		url := strings.Replace(c.URL(), "rtsp://", "rtsp://admin@", 1)
		fmt.Fprintf(&b, "  - name: %s\n    url: %s\n    password_env: CHAOS_CAM%d_PASSWORD\n", camName(i), url, i+1)
	}
	r.config = filepath.Join(r.work, "camshare.yaml")
	if err := os.WriteFile(r.config, []byte(b.String()), 0o600); err != nil {
		r.t.Fatal(err)
	}
}

// start starts camshare run; each process logs to its own file.
func (r *rig) start() {
	r.runs++
	log := filepath.Join(r.work, fmt.Sprintf("camshare-%d.log", r.runs))
	cmd := exec.Command(os.Args[0], "run", "--config", r.config, "--log-format", "json", "--log-file", log)
	cmd.Env = append(os.Environ(), beCamshare+"=1")
	for i := range r.cams {
		cmd.Env = append(cmd.Env, fmt.Sprintf("CHAOS_CAM%d_PASSWORD=%s", i+1, camPasswords[i]))
	}
	out, err := os.Create(filepath.Join(r.work, fmt.Sprintf("camshare-%d.out", r.runs)))
	if err != nil {
		r.t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	r.started[r.runs] = wallNow()
	if err := cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	out.Close()
	r.run, r.done = cmd, make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) { cmd.Wait(); close(done) }(cmd, r.done)
	done := r.done
	r.t.Cleanup(func() { cmd.Process.Kill(); <-done })
}

// kill is kill -9.
func (r *rig) kill() {
	if err := r.run.Process.Signal(syscall.SIGKILL); err != nil {
		r.t.Fatal(err)
	}
	<-r.done
}

// stop ends camshare as a person would (SIGINT: it closes every open
// segment); it must exit 0.
func (r *rig) stop() {
	if err := r.run.Process.Signal(syscall.SIGINT); err != nil {
		r.t.Fatal(err)
	}
	select {
	case <-r.done:
	case <-time.After(60 * time.Second):
		r.t.Fatal("camshare run did not stop within 60 s of SIGINT")
	}
	if code := r.run.ProcessState.ExitCode(); code != 0 {
		r.t.Errorf("camshare run exited %d after SIGINT", code)
	}
}

// drain waits, with every fault over, for the local folders to empty:
// nothing but the segment being written, and closed ones younger than a
// few seconds (on their way). It records what is left when it gives up.
func (r *rig) drain(tl *timeline) {
	deadline := time.Now().Add(90 * time.Second)
	settle := time.Now().Add(2 * segment)
	for {
		left := r.stale(10 * time.Second)
		if len(left) == 0 && time.Now().After(settle) || time.Now().After(deadline) {
			tl.leftLocally = left
			return
		}
		time.Sleep(time.Second)
	}
}

// stale lists closed segments in the local folders older than age.
func (r *rig) stale(age time.Duration) []string {
	var left []string
	for i := range r.cams {
		ents, _ := os.ReadDir(filepath.Join(r.rec, camName(i)))
		for _, e := range ents {
			info, err := e.Info()
			if err != nil || !strings.HasSuffix(e.Name(), ".mp4") || time.Since(info.ModTime()) < age {
				continue
			}
			left = append(left, camName(i)+"/"+e.Name())
		}
	}
	return left
}
