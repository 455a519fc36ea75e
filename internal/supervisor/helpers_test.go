package supervisor

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/config"
	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/testcam"
)

// binary is camshare built once for the tests that need a real process
// (signals).
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "camshare-run-test")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "camshare")
	build := exec.Command("go", "build", "-o", binary, "github.com/camshare/camshare")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building camshare: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// testCamera is a test camera playing a low-res fixture (no audio: cheap on a
// shared machine).
func testCamera(t *testing.T) *testcam.Camera {
	t.Helper()
	c, err := testcam.Start(testcam.Options{Fixture: "h264"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// writeConfig writes a camshare.yaml for cams (name → URL) shipping to
// remoteSpec, with 2s segments.
func writeConfig(t *testing.T, dir, remoteSpec string, cams map[string]string, extra string) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "remote: %q\ndir: %s\nsegment: 2s\nlayout:\n  utc: true\n%s\ncameras:\n", remoteSpec, filepath.Join(dir, "rec"), extra)
	names := make([]string, 0, len(cams))
	for n := range cams {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "  - name: %s\n    url: %s\n", n, cams[n])
	}
	p := filepath.Join(dir, "camshare.yaml")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func loadConfig(t *testing.T, path string) *config.Config {
	t.Helper()
	c, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// segments lists the closed segments under root (recursively), by start.
func segments(t *testing.T, root string) []seg {
	t.Helper()
	scheme, _ := layout.New("", "", true)
	var out []seg
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if start, ok := scheme.Time(d.Name()); ok {
			out = append(out, seg{Path: p, Name: d.Name(), Start: start})
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

type seg struct {
	Path, Name string
	Start      time.Time
}

// tmpFiles lists unfinished segments under root. A camera's day
// timelapse is not one: it stays open until midnight, across restarts.
func tmpFiles(root string) []string {
	var out []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		_, _, lapse := layout.Default().TimelapseOfLocal(filepath.Base(p))
		if err == nil && !d.IsDir() && strings.HasSuffix(p, layout.TempExt) && !lapse {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// waitFor polls cond until it holds; the deadline is generous because the
// machine is shared (it is a hang guard, not a timing assertion).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// probe decodes a segment with ffprobe and returns its duration.
func probe(t *testing.T, path string) time.Duration {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ffprobe %s: %v\n%s", path, err, out)
	}
	sec, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil || sec <= 0 {
		t.Fatalf("ffprobe %s: duration %q", path, out)
	}
	return time.Duration(sec * float64(time.Second))
}

// continuous checks that consecutive segments of a camera that never went
// down follow each other: no start more than one segment plus one GOP after
// the previous one.
func continuous(t *testing.T, name string, segs []seg, from, to time.Time) {
	t.Helper()
	var in []seg
	for _, s := range segs {
		if !s.Start.Before(from) && !s.Start.After(to) {
			in = append(in, s)
		}
	}
	if len(in) < 2 {
		t.Fatalf("%s: only %d segments between %s and %s", name, len(in), from.Format(time.TimeOnly), to.Format(time.TimeOnly))
	}
	for i := 1; i < len(in); i++ {
		if gap := in[i].Start.Sub(in[i-1].Start); gap > 3*time.Second {
			t.Errorf("%s: gap of %s between %s and %s", name, gap, in[i-1].Name, in[i].Name)
		}
	}
}
