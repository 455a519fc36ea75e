package cmd

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/camshare/camshare/internal/demo"
	"github.com/camshare/camshare/internal/testcam"
)

func newDemoCmd(g *globals) *cobra.Command {
	o := demo.Options{}
	c := &cobra.Command{
		Use:   "demo",
		Short: "Run the whole pipeline against a built-in test camera (no hardware needed)",
		Long: `Starts a built-in RTSP test camera (H.264 + G.711 audio), records it for real into
DIR/rec, ships every closed segment into the local-folder remote DIR/remote (laid out
YYYYMMDD/HH/NAME.mp4 like a cloud archive) and writes the share page there.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if o.Segment < time.Second {
				return usagef("--segment %s: must be at least 1s", o.Segment)
			}
			// The demo prints its own progress; logs only add warnings
			// (and everything with -v).
			g.log.Quiet = true
			log, err := g.logger()
			if err != nil {
				return usageError{err}
			}
			o.Out, o.Log = g.stdout, log
			_, err = demo.Run(c.Context(), o)
			return err
		},
	}
	f := c.Flags()
	f.StringVar(&o.Dir, "dir", "camshare-demo", "folder for the recording, the remote and the page")
	f.DurationVar(&o.Duration, "duration", 30*time.Second, "how long to record (0 = until Ctrl-C)")
	f.DurationVar(&o.Segment, "segment", 5*time.Second, "segment length")
	f.StringVar(&o.Fixture, "fixture", "h264_pcma", "test camera clip")
	c.RegisterFlagCompletionFunc("fixture", fixedChoices(testcam.Fixtures()...))
	return c
}
