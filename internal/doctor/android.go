package doctor

import (
	"os"
	"runtime"

	"github.com/camshare/camshare/internal/service"
)

// onAndroid: a GOOS=android build, or a linux build inside Termux.
func onAndroid() bool {
	if runtime.GOOS == "android" || service.InTermux() != "" {
		return true
	}
	_, err := os.Stat("/system/bin/app_process")
	return err == nil
}

// checkAndroid lists the traps that silently stop a long-running process
// on Android. None can be read from inside Termux without root or adb, so
// they are hints, except what can be seen: the boot script and DNS.
func checkAndroid(o Options) []Result {
	var out []Result
	home, _ := os.UserHomeDir()
	if _, err := os.Stat(home + "/.termux/boot/camshare"); err == nil {
		out = append(out, Result{Level: Pass, Name: "android boot", Detail: "~/.termux/boot/camshare is installed (Termux:Boot starts it)"})
	} else {
		out = append(out, Result{Level: Info, Name: "android boot", Detail: "not started at boot",
			Hint: "camshare service install --termux, and install the Termux:Boot app"})
	}
	if _, err := os.Stat("/etc/resolv.conf"); err != nil {
		prefix := os.Getenv("PREFIX")
		if _, err := os.Stat(prefix + "/etc/resolv.conf"); err == nil && prefix != "" {
			out = append(out, Result{Level: Pass, Name: "android dns", Detail: "no /etc/resolv.conf; using " + prefix + "/etc/resolv.conf"})
		} else {
			out = append(out, Result{Level: Warn, Name: "android dns", Detail: "no resolv.conf anywhere: name lookups fail",
				Hint: "pass --dns 1.1.1.1 (or your router's address)"})
		}
	}
	out = append(out,
		Result{Level: Info, Name: "android phantom processes",
			Detail: "Android 12+ kills background processes it counts as 'phantom' with no trace (logcat: \"Killing PhantomProcessRecord\")",
			Hint:   "adb shell settings put global settings_enable_monitor_phantom_procs false (12L/13+), or Developer options → Disable child process restrictions (14+); see docs/termux.md"},
		Result{Level: Info, Name: "android battery",
			Detail: "battery optimisation pauses Termux with the screen off",
			Hint:   "Settings → Apps → Termux (and Termux:Boot) → Battery → Unrestricted"},
		Result{Level: Info, Name: "android wake lock",
			Detail: "without a wake lock the CPU sleeps and recording stalls",
			Hint:   "termux-wake-lock (the boot script takes it), or 'Acquire wakelock' in Termux's notification"},
	)
	return out
}
