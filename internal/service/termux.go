package service

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// termuxFiles is a Termux:Boot script: Termux:Boot runs every executable in
// ~/.termux/boot/ once after the phone boots. The loop restarts camshare if
// it ever exits (it only does on a fatal error or a kill), after a pause so
// a broken config does not spin.
func termuxFiles(o Options) ([]File, []string, error) {
	var cmd []string
	for _, a := range o.runArgs() {
		cmd = append(cmd, shQuote(a))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "#!%s/bin/sh\n", o.Prefix)
	b.WriteString("# Written by 'camshare service install --termux'; remove with 'camshare service uninstall --termux'.\n")
	b.WriteString("# Termux:Boot runs this after the phone boots.\n")
	if o.WakeLock {
		b.WriteString("# Keep the CPU awake while the screen is off (Android otherwise pauses Termux).\n")
		b.WriteString("termux-wake-lock\n")
	}
	fmt.Fprintf(&b, "# Camera passwords (KEY=value lines), if you keep them in a file.\n")
	fmt.Fprintf(&b, "if [ -f %s ]; then set -a; . %s; set +a; fi\n", shQuote(o.EnvFile), shQuote(o.EnvFile))
	b.WriteString("while true; do\n")
	fmt.Fprintf(&b, "  %s\n", strings.Join(cmd, " "))
	b.WriteString("  sleep 10\n")
	b.WriteString("done\n")
	path := filepath.Join(o.Home, ".termux", "boot", "camshare")
	hints := []string{
		"install the Termux:Boot app (F-Droid, same source as Termux) and open it once",
		"exempt Termux and Termux:Boot from battery optimisation (Android settings → Apps → Termux → Battery → Unrestricted)",
		"on Android 12+ turn off the phantom-process killer, see docs/termux.md",
		"start it now without rebooting: " + shQuote(path) + " &",
		"check it: camshare status --config " + shQuote(o.Config),
	}
	return []File{{Path: path, Content: b.String(), Mode: 0o755}}, hints, nil
}

// InTermux reports the Termux $PREFIX when camshare runs inside Termux
// (the one rule for telling, used by service install and doctor), else "".
func InTermux() string {
	if p := os.Getenv("PREFIX"); strings.Contains(p, "com.termux") {
		return p
	}
	return ""
}
