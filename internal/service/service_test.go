package service

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func opts(t *testing.T, kind string) Options {
	home := t.TempDir()
	return Options{Kind: kind, Home: home, Binary: "/opt/cam share/camshare",
		Config: filepath.Join(home, ".config/camshare/config.yaml"), Args: []string{"--dns", "1.1.1.1"}, WakeLock: true}
}

func TestTermuxScriptRunsCamshareWithWakeLock(t *testing.T) {
	o := opts(t, "termux")
	// A stand-in camshare records its arguments and ends the boot loop.
	bin := t.TempDir()
	argsFile := filepath.Join(bin, "args")
	fake := filepath.Join(bin, "camshare")
	os.WriteFile(fake, []byte("#!/bin/sh\nprintf '%s\\n' \"$@\" > "+argsFile+"\necho \"$CAM_PASS\" >> "+argsFile+"\nkill $PPID\n"), 0o755)
	os.WriteFile(filepath.Join(bin, "termux-wake-lock"), []byte("#!/bin/sh\ntouch "+filepath.Join(bin, "locked")+"\n"), 0o755)
	o.Binary = fake
	o.LogFile = filepath.Join(o.Home, "log dir", "camshare.log")
	os.MkdirAll(filepath.Dir(o.Config), 0o755)
	os.WriteFile(filepath.Join(filepath.Dir(o.Config), "env"), []byte("CAM_PASS=s3cret\n"), 0o600)

	files, hints, err := Install(o)
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(o.Home, ".termux", "boot", "camshare")
	if len(files) != 1 || files[0].Path != want {
		t.Fatalf("files = %+v", files)
	}
	st, err := os.Stat(want)
	if err != nil || st.Mode().Perm() != 0o755 {
		t.Fatalf("script: %v %v", st, err)
	}
	body, _ := os.ReadFile(want)
	if !strings.HasPrefix(string(body), "#!"+TermuxPrefix+"/bin/sh\n") || !strings.Contains(string(body), "termux-wake-lock\n") {
		t.Fatalf("script:\n%s", body)
	}
	if !strings.Contains(strings.Join(hints, "\n"), "battery optimisation") {
		t.Errorf("hints: %v", hints)
	}

	cmd := exec.Command("sh", want)
	cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"))
	out, _ := cmd.CombinedOutput() // ends killed by the stand-in
	got, err := os.ReadFile(argsFile)
	if err != nil {
		t.Fatalf("camshare never started: %v\n%s", err, out)
	}
	wantArgs := strings.Join([]string{"run", "--config", o.Config, "--log-file", o.LogFile, "--dns", "1.1.1.1", "s3cret"}, "\n") + "\n"
	if string(got) != wantArgs {
		t.Fatalf("camshare started with\n%s\nwant\n%s", got, wantArgs)
	}
	if _, err := os.Stat(filepath.Join(bin, "locked")); err != nil {
		t.Error("the wake lock was not taken")
	}

	removed, err := Uninstall(o)
	if err != nil || len(removed) != 1 {
		t.Fatalf("uninstall: %v %v", removed, err)
	}
	if _, err := os.Stat(want); !os.IsNotExist(err) {
		t.Fatal("script still there")
	}
	if removed, err := Uninstall(o); err != nil || len(removed) != 0 {
		t.Fatalf("second uninstall: %v %v", removed, err)
	}
}

func TestSystemdUserUnit(t *testing.T) {
	o := opts(t, "systemd")
	files, hints, err := Install(o)
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(o.Home, ".config", "systemd", "user", "camshare.service")
	if files[0].Path != want {
		t.Fatalf("path %s", files[0].Path)
	}
	body, _ := os.ReadFile(want)
	unit := string(body)
	for _, line := range []string{
		"Restart=always",
		`ExecStart="/opt/cam share/camshare" run --config ` + o.Config + " --log-file " + filepath.Join(filepath.Dir(o.Config), "camshare.log") + " --dns 1.1.1.1",
		"ExecReload=/bin/kill -HUP $MAINPID",
		"EnvironmentFile=-" + filepath.Join(filepath.Dir(o.Config), "env"),
		"WantedBy=default.target",
		"After=network-online.target",
	} {
		if !strings.Contains(unit, "\n"+line+"\n") {
			t.Errorf("unit lacks %q:\n%s", line, unit)
		}
	}
	if strings.Contains(unit, "User=") {
		t.Error("a user unit must not set User=")
	}
	if !strings.Contains(strings.Join(hints, "\n"), "systemctl --user enable --now camshare") {
		t.Errorf("hints %v", hints)
	}
	if _, err := Uninstall(o); err != nil {
		t.Fatal(err)
	}
}

func TestSystemdSystemUnit(t *testing.T) {
	o := opts(t, "systemd")
	o.System = true
	if _, _, err := Files(o); err == nil {
		t.Fatal("--system without a user accepted")
	}
	o.User = "pi"
	files, _, err := Files(o)
	if err != nil {
		t.Fatal(err)
	}
	f := files[0]
	if f.Path != "/etc/systemd/system/camshare.service" || !strings.Contains(f.Content, "\nUser=pi\n") || !strings.Contains(f.Content, "\nWantedBy=multi-user.target\n") {
		t.Fatalf("%s:\n%s", f.Path, f.Content)
	}
}

func TestUnitQuote(t *testing.T) {
	for in, want := range map[string]string{"/a/b": "/a/b", "a b": `"a b"`, "50%": "50%%", `x"y`: `"x\"y"`, "$HOME": `"$$HOME"`} {
		if got := unitQuote(in); got != want {
			t.Errorf("unitQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
