package service

import (
	"fmt"
	"path/filepath"
	"strings"
)

// systemdFiles is one unit with Restart=always. A user unit (the default)
// needs no root; `loginctl enable-linger` makes it start at boot without a
// login. --system puts it in /etc/systemd/system, run as User.
func systemdFiles(o Options) ([]File, []string, error) {
	var cmd []string
	for _, a := range o.runArgs() {
		cmd = append(cmd, unitQuote(a))
	}
	var b strings.Builder
	b.WriteString("# Written by 'camshare service install --systemd'; remove with 'camshare service uninstall --systemd'.\n")
	b.WriteString("[Unit]\n")
	b.WriteString("Description=camshare: record cameras and ship them off-site\n")
	b.WriteString("Wants=network-online.target\n")
	b.WriteString("After=network-online.target\n\n")
	b.WriteString("[Service]\n")
	b.WriteString("Type=simple\n")
	if o.System {
		if o.User == "" {
			return nil, nil, fmt.Errorf("--system needs a user to run as (--user)")
		}
		fmt.Fprintf(&b, "User=%s\n", o.User)
	}
	// Camera passwords as KEY=value lines; "-" makes the file optional.
	fmt.Fprintf(&b, "EnvironmentFile=-%s\n", unitQuote(o.EnvFile))
	fmt.Fprintf(&b, "ExecStart=%s\n", strings.Join(cmd, " "))
	b.WriteString("ExecReload=/bin/kill -HUP $MAINPID\n")
	b.WriteString("Restart=always\n")
	b.WriteString("RestartSec=10\n")
	// run closes open segments on SIGTERM within seconds; give it margin.
	b.WriteString("KillSignal=SIGTERM\n")
	b.WriteString("TimeoutStopSec=30\n\n")
	b.WriteString("[Install]\n")

	var path string
	var hints []string
	if o.System {
		b.WriteString("WantedBy=multi-user.target\n")
		path = "/etc/systemd/system/camshare.service"
		hints = []string{
			"sudo systemctl daemon-reload && sudo systemctl enable --now camshare",
			"logs: journalctl -u camshare, or " + o.LogFile,
			"reload the config after editing it: sudo systemctl reload camshare",
		}
	} else {
		b.WriteString("WantedBy=default.target\n")
		path = filepath.Join(o.Home, ".config", "systemd", "user", "camshare.service")
		hints = []string{
			"systemctl --user daemon-reload && systemctl --user enable --now camshare",
			"start at boot without logging in: sudo loginctl enable-linger $USER",
			"reload the config after editing it: systemctl --user reload camshare",
		}
	}
	hints = append(hints, "check it: camshare status --config "+shQuote(o.Config))
	return []File{{Path: path, Content: b.String(), Mode: 0o644}}, hints, nil
}

// unitQuote quotes a word for a systemd Exec line when it needs it; % is
// systemd's specifier character and is doubled.
func unitQuote(s string) string {
	s = strings.ReplaceAll(s, "%", "%%")
	if !strings.ContainsAny(s, " \t\"'\\;$") {
		return s
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `$$`)
	return `"` + r.Replace(s) + `"`
}
