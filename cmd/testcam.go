package cmd

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/camshare/camshare/internal/testcam"
)

// newTestcamCmd serves a built-in fixture over RTSP until interrupted, so
// benchmarks can feed the same stream to camshare and to ffmpeg. Hidden: it
// is a development tool, not part of the product.
func newTestcamCmd(g *globals) *cobra.Command {
	var o testcam.Options
	c := &cobra.Command{
		Use:    "testcam",
		Short:  "Serve a built-in test stream over RTSP until interrupted",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if !slices.Contains(testcam.Fixtures(), o.Fixture) {
				return usagef("unknown --fixture %q (one of %s)", o.Fixture, strings.Join(testcam.Fixtures(), ", "))
			}
			log, err := g.logger()
			if err != nil {
				return err
			}
			o.Log = log
			cam, err := testcam.Start(o)
			if err != nil {
				return err
			}
			defer cam.Close()
			fmt.Fprintln(g.stdout, cam.URL())
			log.Info("test camera serving", "fixture", o.Fixture, "url", cam.URL(), "auth", o.User != "")
			<-c.Context().Done()
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&o.Fixture, "fixture", testcam.DefaultFixture, "fixture to play: "+strings.Join(testcam.Fixtures(), ", "))
	f.StringVar(&o.Addr, "addr", "127.0.0.1:8554", "listen address (port 0 picks a free one)")
	f.StringVar(&o.Path, "path", "/stream", "stream path")
	f.StringVar(&o.User, "user", "", "require this user name")
	f.StringVar(&o.Pass, "pass", "", "require this password (with --user)")
	c.RegisterFlagCompletionFunc("fixture", fixedChoices(testcam.Fixtures()...))
	return c
}
