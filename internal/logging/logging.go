// Package logging builds camshare's one slog logger and routes rclone's own
// log lines into it, so a user sees one stream in one format.
package logging

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// Options are the persistent logging flags.
type Options struct {
	Verbose bool   // -v: debug level
	Format  string // text|json
	Quiet   bool   // warnings and errors only (commands whose own output says the rest)
}

// New returns a logger writing to w.
func New(w io.Writer, o Options) (*slog.Logger, error) {
	level := slog.LevelInfo
	switch {
	case o.Verbose:
		level = slog.LevelDebug
	case o.Quiet:
		level = slog.LevelWarn
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(o.Format) {
	case "", "text":
		return slog.New(scrubbing{slog.NewTextHandler(w, opts)}), nil
	case "json":
		opts.ReplaceAttr = readableDurations
		return slog.New(scrubbing{slog.NewJSONHandler(w, opts)}), nil
	default:
		return nil, fmt.Errorf("--log-format %q: want text or json", o.Format)
	}
}

// Discard is a logger that drops everything (tests, --json output modes).
func Discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
