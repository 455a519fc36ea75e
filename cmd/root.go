// Package cmd holds camshare's cobra commands. Each command only parses
// flags into its package's Options and calls that package: the work itself
// is tested without a shell.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/camshare/camshare/internal/logging"
	"github.com/camshare/camshare/internal/redact"
	"github.com/camshare/camshare/internal/resolver"
)

// Set by the linker (see goreleaser.yaml).
var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

// globals are the persistent flags every command shares.
type globals struct {
	log    logging.Options
	stdout io.Writer
	stderr io.Writer

	// --dns and --log-file (issue 6): Termux has no /etc/resolv.conf, and a
	// service running for months needs its log in rotated files.
	dns     string
	logFile string
	logOut  *logging.RotatingFile // opened once, on first use
}

// logger builds the logger the persistent flags ask for: to stderr, or to
// the rotated --log-file.
func (g *globals) logger() (*slog.Logger, error) {
	if g.logFile == "" {
		return logging.New(g.stderr, g.log)
	}
	if g.logOut == nil {
		f, err := logging.OpenRotating(g.logFile, logging.DefaultMaxSize, logging.DefaultKeep)
		if err != nil {
			return nil, err
		}
		g.logOut = f
	}
	return logging.New(g.logOut, g.log)
}

// NewRoot builds the command tree. Tests call it with their own writers.
func NewRoot(stdout, stderr io.Writer) *cobra.Command {
	g := &globals{stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:   "camshare",
		Short: "Record an IP camera, ship it off-site with rclone, share it with family",
		Long: `camshare turns an RTSP camera plus an old phone (Termux) or a Raspberry Pi into an
off-site, shareable camera archive: record clock-aligned MP4 segments, move each
closed one to any rclone remote, share links and a page family can open, and
prune footage past retention.`,
		Version:       fmt.Sprintf("%s (commit %s, built %s)", version, commit, date),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetVersionTemplate("camshare {{.Version}}\n")
	pf := root.PersistentFlags()
	pf.BoolVarP(&g.log.Verbose, "verbose", "v", false, "debug logging")
	pf.StringVar(&g.log.Format, "log-format", "text", "log format: text or json")
	root.RegisterFlagCompletionFunc("log-format", fixedChoices("text", "json"))
	pf.StringVar(&g.dns, "dns", "", "name server(s) to use, e.g. 1.1.1.1 (default: system, or $PREFIX/etc/resolv.conf on Termux)")
	pf.StringVar(&g.logFile, "log-file", "", "log to this file instead of stderr, rotated at 10 MB keeping 3 old files")
	// Before any command: make name lookups work on Android (no
	// /etc/resolv.conf), for camshare's own dials and rclone's HTTP alike.
	root.PersistentPreRunE = func(c *cobra.Command, args []string) error {
		if _, err := resolver.Setup(g.dns); err != nil {
			return usageError{err}
		}
		return nil
	}

	root.AddCommand(
		newRecordCmd(g),
		newShipCmd(g),
		newShareCmd(g),
		newPruneCmd(g),
		newTimelapseCmd(g),
		newKeyCmd(g),
		newDecryptCmd(g),
		newRunCmd(g),
		newStatusCmd(g),
		newDoctorCmd(g),
		newInitCmd(g),
		newServiceCmd(g),
		newDemoCmd(g),
		newTestcamCmd(g),
		newCompletionCmd(g),
	)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%v (see '%s --help')", err, c.CommandPath())}
	})
	return root
}

// usageError marks a mistake on the command line: exit code 2.
type usageError struct{ error }

func (u usageError) Unwrap() error { return u.error }

// usagef is for commands that check their own arguments.
func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// Execute runs camshare and returns the process exit code: 0 ok, 1 failed,
// 2 bad usage. Errors are printed as one line, "camshare: …".
func Execute() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, os.Args[1:], os.Stdout, os.Stderr)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := NewRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	fmt.Fprintf(stderr, "camshare: %s\n", redact.Line(err))
	var u usageError
	if errors.As(err, &u) || isCobraUsage(err) {
		return 2
	}
	return 1
}

// isCobraUsage recognises cobra's own argument errors, which are untyped.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires at least", "requires at most", "invalid argument", "flag needs an argument"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

func fixedChoices(choices ...string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return choices, cobra.ShellCompDirectiveNoFileComp
	}
}
