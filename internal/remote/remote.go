// Package remote is the one place that sets rclone up as a library: which
// config file, its password, the global options users know from rclone, and
// opening a remote with an error a person can act on.
package remote

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/accounting"
	"github.com/rclone/rclone/fs/config"
	"github.com/rclone/rclone/fs/config/configfile"
	"github.com/rclone/rclone/fs/fspath"
	"github.com/rclone/rclone/lib/atexit"
	"github.com/spf13/pflag"

	"github.com/camshare/camshare/internal/redact"
)

// Options are rclone's global options camshare exposes, with rclone's names.
type Options struct {
	ConfigPath      string // --config; else $RCLONE_CONFIG; else rclone's default path
	DryRun          bool   // --dry-run
	BwLimit         string // --bwlimit, rclone syntax ("1M", "08:00,512k 19:00,off")
	Transfers       int    // --transfers
	LowLevelRetries int    // --low-level-retries
	Verbose         bool   // -v also shows rclone's info lines
}

// Flag names one of rclone's flags that camshare offers.
type Flag string

const (
	FlagDryRun          Flag = "dry-run"
	FlagBwLimit         Flag = "bwlimit"
	FlagTransfers       Flag = "transfers"
	FlagLowLevelRetries Flag = "low-level-retries"
)

// AddFlags registers every rclone flag camshare offers, rclone's --config
// among them.
func (o *Options) AddFlags(f *pflag.FlagSet) {
	o.addFlags(f, "config", FlagDryRun, FlagBwLimit, FlagTransfers, FlagLowLevelRetries)
}

// AddFlagsBesideConfig is for commands whose --config is camshare's own
// file: rclone's becomes --rclone-config, and only the named flags are
// offered. Each flag is still declared once, below.
func (o *Options) AddFlagsBesideConfig(f *pflag.FlagSet, names ...Flag) {
	o.addFlags(f, "rclone-config", names...)
}

func (o *Options) addFlags(f *pflag.FlagSet, configName string, names ...Flag) {
	configHelp := "rclone config file (default $RCLONE_CONFIG or rclone's own default)"
	if configName != "config" {
		configHelp = "rclone config file (default: rclone_config in the config, $RCLONE_CONFIG, rclone's default)"
	}
	f.StringVar(&o.ConfigPath, configName, "", configHelp)
	for _, name := range names {
		switch name {
		case FlagDryRun:
			f.BoolVar(&o.DryRun, string(name), false, "show what would be done, change nothing")
		case FlagBwLimit:
			f.StringVar(&o.BwLimit, string(name), "", "upload bandwidth limit, rclone syntax (e.g. 512k or \"08:00,512k 19:00,off\")")
		case FlagTransfers:
			f.IntVar(&o.Transfers, string(name), 2, "uploads in parallel")
		case FlagLowLevelRetries:
			f.IntVar(&o.LowLevelRetries, string(name), 3, "rclone's low level retries per request")
		}
	}
}

var setupMu sync.Mutex

// Setup configures rclone for this process and returns the context to use
// with it. It can be called again (tests do, with other config files); the
// last call wins. Errors are one line and never contain the config password.
func Setup(ctx context.Context, o Options, log *slog.Logger) (context.Context, error) {
	setupMu.Lock()
	defer setupMu.Unlock()

	path := o.ConfigPath
	if path == "" {
		// The library does not read RCLONE_CONFIG by itself.
		path = os.Getenv("RCLONE_CONFIG")
	}
	if path == "" {
		path = config.GetConfigPath()
		if path == "" {
			path = defaultConfigPath()
		}
	}
	if err := config.SetConfigPath(path); err != nil {
		return ctx, fmt.Errorf("rclone config %q: %w", path, err)
	}
	configfile.Install()
	// camshare handles SIGINT/SIGTERM itself (close segments, exit 0).
	// rclone's at-exit handler, installed by the first copy to a local or
	// SFTP remote, would os.Exit(143) in the middle of that shutdown.
	atexit.IgnoreSignals()

	// rclone reads some options (the bandwidth limiter among them) from the
	// global config only, so set them there.
	ci := fs.GetConfig(nil)
	ci.AskPassword = false // never prompt: camshare runs unattended
	ci.DryRun = o.DryRun
	if o.Transfers > 0 {
		ci.Transfers = o.Transfers
	}
	if o.LowLevelRetries > 0 {
		ci.LowLevelRetries = o.LowLevelRetries
	}
	if o.BwLimit != "" {
		if err := ci.BwLimit.Set(o.BwLimit); err != nil {
			return ctx, fmt.Errorf("--bwlimit %q: %w", o.BwLimit, err)
		}
	}
	ci.LogLevel = fs.LogLevelNotice
	if o.Verbose {
		ci.LogLevel = fs.LogLevelInfo
	}
	if log != nil {
		fs.SetLogger(log.With("component", "rclone").Handler())
	}

	// Load now, ourselves: rclone's lazy loader calls fs.Fatalf (os.Exit)
	// on an unreadable file or a wrong password.
	// rclone also logs its own line about a wrong password; the error
	// returned says it once, so keep rclone quiet while loading.
	level := ci.LogLevel
	ci.LogLevel = fs.LogLevelCritical
	// A missing file is normal (connection-string remotes need none), so
	// rclone's "config file not found" notice stays quiet too.
	err := config.Data().Load()
	if err == nil || errors.Is(err, config.ErrorConfigFileNotFound) {
		config.LoadedData()
	}
	ci.LogLevel = level
	if err != nil && !errors.Is(err, config.ErrorConfigFileNotFound) {
		return ctx, configError(path, err)
	}
	accounting.Start(ctx)
	return ctx, nil
}

func configError(path string, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "RCLONE_CONFIG_PASS") && os.Getenv("RCLONE_CONFIG_PASS") != "":
		return fmt.Errorf("rclone config %q: wrong password in RCLONE_CONFIG_PASS", path)
	case strings.Contains(msg, "decrypt"):
		return fmt.Errorf("rclone config %q is encrypted: set RCLONE_CONFIG_PASS to its password", path)
	case errors.Is(err, os.ErrPermission):
		return fmt.Errorf("rclone config %q: permission denied", path)
	}
	return fmt.Errorf("rclone config %q: %v", path, err)
}

// defaultConfigPath mirrors rclone's search without its side effects.
func defaultConfigPath() string {
	if dir, err := os.UserConfigDir(); err == nil {
		return dir + "/rclone/rclone.conf"
	}
	if home, err := os.UserHomeDir(); err == nil {
		return home + "/.rclone.conf"
	}
	return ".rclone.conf"
}

// Open opens a remote spec ("name:folder", ":s3,provider=…:bucket/dir", or a
// local path). An unknown remote name lists the configured ones.
func Open(ctx context.Context, spec string) (fs.Fs, error) {
	f, err := open(ctx, asFolder(spec))
	if err != nil {
		// rclone's own errors may still echo a connection string's keys.
		if parsed, perr := fspath.Parse(spec); perr == nil {
			err = redact.Error(err, specSecrets(parsed)...)
		}
	}
	return f, err
}

// asFolder adds a trailing slash: that tells bucket backends (S3, B2, GCS,
// Swift…) the root is a folder, so they skip the "is it a file?" request
// that, with the network down at boot, would fail and make the folder look
// like a file. Every camshare command opens folders, and must start with the
// remote down (the shipper then ships once it is back). Backends that look
// their root up on opening (Drive, OneDrive…) still need the network.
func asFolder(spec string) string {
	if spec != "" && !strings.HasSuffix(spec, "/") && !strings.HasSuffix(spec, ":") {
		return spec + "/"
	}
	return spec
}

// Printable is a remote spec as it may be printed in logs, errors and
// status: a connection string's parameters (":s3,access_key_id=…,
// secret_access_key=…:bucket") can hold credentials, so they are left out.
func Printable(spec string) string {
	parsed, err := fspath.Parse(spec)
	if err != nil || parsed.Name == "" || parsed.Config == nil || len(parsed.Config) == 0 {
		return spec
	}
	name := parsed.Name
	if i := strings.IndexByte(name, ','); i >= 0 {
		name = name[:i]
	}
	return name + ",…:" + parsed.Path
}

func specSecrets(p fspath.Parsed) []string {
	var opts fs.Options
	if strings.HasPrefix(p.Name, ":") {
		if info, err := fs.Find(strings.TrimPrefix(p.Name, ":")); err == nil {
			opts = info.Options
		}
	}
	var out []string
	for k, v := range p.Config {
		secret := opts == nil
		for _, o := range opts {
			if o.Name == strings.ReplaceAll(k, "-", "_") && (o.IsPassword || o.Sensitive) {
				secret = true
			}
		}
		if secret && len(v) > 1 {
			out = append(out, v)
		}
	}
	return out
}

func open(ctx context.Context, spec string) (fs.Fs, error) {
	if spec == "" {
		return nil, errors.New("no remote given (want REMOTE:FOLDER)")
	}
	parsed, err := fspath.Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("remote %q: %v", Printable(spec), err)
	}
	if parsed.Name == "" && !explicitLocal(spec) {
		return nil, bareWord(spec)
	}
	if parsed.Name != "" && !strings.HasPrefix(parsed.Name, ":") {
		if _, ok := config.LoadedData().GetValue(parsed.Name, "type"); !ok {
			if os.Getenv(envRemoteType(parsed.Name)) == "" {
				return nil, unknownRemote(parsed.Name)
			}
		}
	}
	f, err := fs.NewFs(ctx, spec)
	if errors.Is(err, fs.ErrorIsFile) {
		return nil, fmt.Errorf("remote %q is a file, want a folder", Printable(spec))
	}
	if err != nil {
		return nil, fmt.Errorf("remote %q: %v", Printable(spec), redact.Line(err))
	}
	return f, nil
}

// envRemoteType is rclone's env-var way to define a remote without a file.
func envRemoteType(name string) string {
	return "RCLONE_CONFIG_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_")) + "_TYPE"
}

// bareWord: issue 11 #5, "--to gdrive" (colon forgotten) silently filled
// ./gdrive/ with footage.
func bareWord(spec string) error {
	names := config.LoadedData().GetSectionList()
	sort.Strings(names)
	known := "no remotes are configured"
	if len(names) > 0 {
		known = "configured remotes: " + strings.Join(names, ", ")
	}
	return fmt.Errorf("%q is neither REMOTE:FOLDER nor an explicit local path (write %q for a folder here; %s)", spec, "./"+strings.TrimSuffix(spec, "/"), known)
}

func unknownRemote(name string) error {
	names := config.LoadedData().GetSectionList()
	sort.Strings(names)
	where := config.GetConfigPath()
	if len(names) == 0 {
		return fmt.Errorf("unknown remote %q: no remotes configured in %q (run 'rclone config', or use a connection string like :s3,provider=AWS:bucket)", name, where)
	}
	return fmt.Errorf("unknown remote %q: configured remotes in %q are %s", name, where, strings.Join(names, ", "))
}
