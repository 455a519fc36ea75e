package cmd

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/camshare/camshare/internal/units"
	"github.com/camshare/camshare/record"
)

// passwordEnv carries the camera password for scripts that keep it out of
// the command line (and so out of ps and shell history).
const passwordEnv = "CAMSHARE_RTSP_PASSWORD"

// newRecordCmd records one camera into clock-aligned segments until
// interrupted.
func newRecordCmd(g *globals) *cobra.Command {
	var (
		o            = record.Options{Segment: 5 * time.Minute, TimelapseEvery: record.DefaultTimelapseEvery}
		names        *schemeFlags
		passwordFile string
	)
	c := &cobra.Command{
		Use:   "record --url rtsp://cam/stream --dir DIR",
		Short: "Record an RTSP camera into clock-aligned MP4 segments",
		Long: `Record an RTSP camera (H.264 or H.265) into MP4 segments aligned to the wall
clock: with --segment 5m a file ends at :00, :05, :10 … (cut at the first
keyframe at or after the boundary). The open segment is NAME.tmp and becomes
NAME.mp4 once closed, so anything watching the folder can trust *.mp4. G.711
audio is converted to AAC so browsers and phones play it with sound.

The camera password may be in the URL, in --password-file, or in
` + passwordEnv + ` (the last two override the URL's). It is never printed.
Records until interrupted (SIGINT/SIGTERM), then closes the open segment.`,
		Example: `  camshare record --url rtsp://admin:secret@192.168.1.20/stream1 --dir ~/rec
  camshare record --url rtsp://admin@cam/stream --password-file ~/.campw --dir ~/rec --segment 1m --utc`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			var err error
			if o.Scheme, err = names.scheme(); err != nil {
				return err
			}
			if err := record.CheckOptions(o); err != nil {
				return usagef("%v", err)
			}
			if o.Password, err = readPassword(passwordFile); err != nil {
				return err
			}
			if o.Log, err = g.logger(); err != nil {
				return err
			}
			oneProcessor()
			go releaseStartupPages(c.Context(), startupOver)
			return record.Run(c.Context(), o)
		},
	}
	f := c.Flags()
	f.StringVar(&o.URL, "url", "", "camera stream, rtsp://[user[:pass]@]host[:port]/path")
	f.StringVar(&o.Dir, "dir", "", "folder for the segments (created if missing)")
	f.Var(units.DurationVar(&o.Segment), "segment", "segment length in whole seconds, aligned to the clock (e.g. 1m, 5m; 1s to 1h)")
	names = addSchemeFlags(f, false)
	f.StringVar(&o.Transport, "transport", "tcp", "RTSP transport: tcp, udp or auto")
	f.StringVar(&o.Audio, "audio", "auto", "audio: auto (AAC, Opus and MP3 kept; G.711 and L16 converted to AAC) or none")
	f.BoolVar(&o.NoActivity, "no-activity", false, "do not score activity or write a sidecar (NAME.json) beside each segment")
	f.StringVar(&o.Camera, "camera", "", "camera name written into the sidecars")
	f.Var(units.DurationOrOffVar(&o.TimelapseEvery), "timelapse-every", "keep one key frame this often in the day's timelapse (timelapse-YYYYMMDD.mp4, closed after midnight; 60s is usual); 0 or off = no timelapse; ship moves the closed file to YYYYMMDD/timelapse-CAMERA.mp4")
	f.StringVar(&passwordFile, "password-file", "", "read the camera password from this file (overrides the URL's; also "+passwordEnv+")")
	c.RegisterFlagCompletionFunc("transport", fixedChoices("tcp", "udp", "auto"))
	c.RegisterFlagCompletionFunc("audio", fixedChoices("auto", "none"))
	c.MarkFlagDirname("dir")
	c.MarkFlagFilename("password-file")
	return c
}

// oneProcessor runs one camera's recorder on one Go processor (unless the
// user set GOMAXPROCS). The work is a copy that needs a few percent of one
// core; with more processors the runtime wakes a second thread at each
// hand-off between the camera reader and the writer. Measured on a 640x360
// 15 fps camera, 60 s side by side: 351 → 288 ms CPU, context switches
// 4904 → 3202 (perf stat). camshare run, which records many cameras,
// keeps them all.
func oneProcessor() {
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(1)
	}
}

// startupOver is when a recorder has connected, opened its first segment
// and is past every path it runs only once.
const startupOver = 20 * time.Second

// readPassword takes the camera password from --password-file (first line)
// or the environment; "" leaves the URL's own password in place.
func readPassword(file string) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("--password-file: %w", err)
		}
		line, _, _ := strings.Cut(string(b), "\n")
		return strings.TrimRight(line, "\r"), nil
	}
	return os.Getenv(passwordEnv), nil
}
