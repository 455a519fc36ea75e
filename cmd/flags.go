package cmd

import (
	"context"
	"log/slog"

	"github.com/spf13/pflag"

	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/remote"
)

// schemeFlags are --name, --utc and (where files sit in date folders)
// --layout: declared here once for every command that reads or writes
// segment names.
type schemeFlags struct {
	name, dir string
	utc       bool
}

// addSchemeFlags registers the naming flags; withLayout adds --layout for
// commands that see the remote's date folders.
func addSchemeFlags(f *pflag.FlagSet, withLayout bool) *schemeFlags {
	s := &schemeFlags{dir: layout.DefaultDir}
	f.StringVar(&s.name, "name", layout.DefaultName, "segment name pattern (strftime, ending in .mp4), as given to record")
	f.BoolVar(&s.utc, "utc", false, "names are in UTC rather than the local zone, as given to record")
	if withLayout {
		f.StringVar(&s.dir, "layout", layout.DefaultDir, "folder pattern below REMOTE:FOLDER (strftime)")
	}
	return s
}

// scheme is the naming scheme the flags describe; a bad pattern is a usage
// error.
func (s *schemeFlags) scheme() (*layout.Scheme, error) {
	sc, err := layout.New(s.name, s.dir, s.utc)
	if err != nil {
		return nil, usageError{err}
	}
	return sc, nil
}

// setupRemote configures rclone for this command: the persistent -v shows
// rclone's own info lines in every command, not only in some.
func (g *globals) setupRemote(ctx context.Context, ro remote.Options, log *slog.Logger) (context.Context, error) {
	ro.Verbose = g.log.Verbose
	return remote.Setup(ctx, ro, log)
}
