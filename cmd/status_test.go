package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/status"
)

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestStatusCommandExitCodes(t *testing.T) {
	p := filepath.Join(t.TempDir(), "camshare-status.json")
	now := time.Now()
	st := status.State{Updated: now, Started: now.Add(-time.Hour), PID: 1, Interval: status.Duration(5 * time.Second),
		Cameras: []status.Camera{{Name: "door", Connected: true, Since: now.Add(-time.Hour), LastSegment: "x.mp4", LastSegmentSize: 1 << 20}}}
	if err := status.Write(p, st); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCmd(t, "status", "--state", p)
	if code != 0 || !strings.Contains(out, "camera door") || !strings.Contains(out, "OK") {
		t.Fatalf("healthy: %d\n%s%s", code, out, errs)
	}
	st.Cameras[0].Connected, st.Cameras[0].Since = false, now.Add(-10*time.Minute)
	status.Write(p, st)
	code, out, errs = runCmd(t, "status", "--state", p, "--json")
	var got struct {
		OK       bool
		Problems []string
		Cameras  []status.Camera
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if code != 1 || got.OK || len(got.Problems) != 1 || !strings.Contains(errs, "camera door down for 10m") {
		t.Fatalf("down: %d %+v %s", code, got, errs)
	}
	// A file nobody updates means run is not running.
	st.Cameras[0].Connected, st.Updated = true, now.Add(-time.Hour)
	status.Write(p, st)
	if code, _, errs := runCmd(t, "status", "--state", p); code != 1 || !strings.Contains(errs, "not running") {
		t.Fatalf("stale: %d %s", code, errs)
	}
}

func TestInitWritesExampleOnce(t *testing.T) {
	p := filepath.Join(t.TempDir(), "c", "config.yaml")
	if code, out, errs := runCmd(t, "init", "--config", p); code != 0 || !strings.Contains(out, "wrote "+p) {
		t.Fatalf("%d %s %s", code, out, errs)
	}
	if code, _, errs := runCmd(t, "init", "--config", p); code != 1 || !strings.Contains(errs, "--force") {
		t.Fatalf("second init: %d %s", code, errs)
	}
	if code, _, _ := runCmd(t, "init", "--config", p, "--force"); code != 0 {
		t.Fatal("--force refused")
	}
}

func TestServiceInstallUninstallSystemd(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("PREFIX", "")
	// --dns replaces the process's resolver: put it back for other tests.
	old := net.DefaultResolver
	t.Cleanup(func() { net.DefaultResolver = old })
	code, out, errs := runCmd(t, "--dns", "9.9.9.9", "service", "install", "--systemd")
	unit := filepath.Join(home, ".config", "systemd", "user", "camshare.service")
	if code != 0 || !strings.Contains(out, "wrote "+unit) || !strings.Contains(errs, "does not exist yet") {
		t.Fatalf("%d\n%s%s", code, out, errs)
	}
	b, _ := os.ReadFile(unit)
	if !strings.Contains(string(b), "run --config "+filepath.Join(home, ".config", "camshare", "config.yaml")) || !strings.Contains(string(b), "--dns 9.9.9.9") {
		t.Fatalf("unit:\n%s", b)
	}
	if code, out, _ := runCmd(t, "service", "uninstall", "--systemd"); code != 0 || !strings.Contains(out, "removed "+unit) {
		t.Fatalf("uninstall: %d %s", code, out)
	}
	if code, _, _ := runCmd(t, "service", "install", "--systemd", "--termux"); code != 2 {
		t.Fatalf("both kinds: exit %d, want 2", code)
	}
}

func TestDNSFlagRejectsNames(t *testing.T) {
	if code, _, errs := runCmd(t, "--dns", "dns.google", "status", "--state", "/nonexistent"); code != 2 || !strings.Contains(errs, "not an IP") {
		t.Fatalf("%d %s", code, errs)
	}
}

// TestStatusJSONAlwaysAnObject: issue 11 #14, with no state file --json
// printed nothing; scripts and widgets want an object in every case, with
// the exit code as before.
func TestStatusJSONAlwaysAnObject(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "camshare-status.json")
	code, out, _ := runCmd(t, "status", "--state", missing, "--json")
	var got struct {
		State    string
		OK       bool
		Problems []string
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("stdout is not a JSON object: %v\n%q", err, out)
	}
	if code != 1 || got.State != "never-run" || got.OK || len(got.Problems) != 1 {
		t.Errorf("rc %d, %+v; want rc 1, state never-run, one problem", code, got)
	}
}
