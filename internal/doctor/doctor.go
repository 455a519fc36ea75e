// Package doctor checks a camshare set-up end to end and says, for each
// thing that can be wrong, pass or fail and what to do about it: cameras
// (reachable, credentials, codecs, audio), the remote (reachable, writable,
// links for the live page, its clock against ours), local disk, and on
// Android the traps that kill long-running processes.
package doctor

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/camshare/camshare/internal/config"
)

// Level is a check's outcome.
type Level int

const (
	Pass Level = iota
	Info       // nothing to fix, worth knowing
	Warn       // works, but will hurt later
	Fail
)

func (l Level) String() string {
	return [...]string{"PASS", "INFO", "WARN", "FAIL"}[l]
}

// Result is one line of the report.
type Result struct {
	Level  Level
	Name   string // "camera door", "remote", "clock", …
	Detail string
	Hint   string // what to do; empty on success
}

// Options say what to check.
type Options struct {
	Config  *config.Config
	Timeout time.Duration // per network check; default 10s
	Log     *slog.Logger
	// Android forces the Android checks on (they are on when camshare runs
	// on Android or in Termux).
	Android bool
	Now     func() time.Time // tests
}

// Run performs every check, in the order a person would fix things.
func Run(ctx context.Context, o Options) []Result {
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	cfg := o.Config
	out := []Result{{Level: Pass, Name: "config", Detail: fmt.Sprintf("%s (%d cameras)", cfg.Path, len(cfg.Cameras))}}
	for _, c := range cfg.Cameras {
		out = append(out, checkCamera(ctx, o, c)...)
	}
	out = append(out, checkRemote(ctx, o)...)
	out = append(out, checkAccess(ctx, o)...)
	out = append(out, checkKey(o)...) // key.go
	out = append(out, checkDisk(o)...)
	if o.Android || onAndroid() {
		out = append(out, checkAndroid(o)...)
	}
	return out
}

// Failed says whether any check failed.
func Failed(rs []Result) bool {
	for _, r := range rs {
		if r.Level == Fail {
			return true
		}
	}
	return false
}

// Print writes the report, one line per check and its hint below.
func Print(w io.Writer, rs []Result) {
	for _, r := range rs {
		fmt.Fprintf(w, "%s  %s: %s\n", r.Level, r.Name, r.Detail)
		if r.Hint != "" {
			fmt.Fprintf(w, "      hint: %s\n", r.Hint)
		}
	}
}
