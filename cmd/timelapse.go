package cmd

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/remote"
	"github.com/camshare/camshare/internal/units"
	"github.com/camshare/camshare/record"
)

func newTimelapseCmd(g *globals) *cobra.Command {
	var (
		ro           remote.Options
		names        *schemeFlags
		date, camera string
		o            = record.TimelapseOptions{Every: record.DefaultTimelapseEvery}
	)
	c := &cobra.Command{
		Use:   "timelapse SOURCE [--date YYYYMMDD] [--every 60s] [--out FILE]",
		Short: "Make a day's timelapse from its key frames, without transcoding",
		Long: `Build a timelapse of one day (default: yesterday) from the segments in SOURCE (a
remote folder as for share, or a local recording folder): one key frame every
--every, copied as recorded, played at 30 fps. Only the key frames' byte
ranges are read where the backend allows ranged reads, not whole segments.`,
		Example: `  camshare timelapse s3:bucket --camera door --date 20261201 --out door.mp4
  camshare timelapse ~/camshare/door --every 30s`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			var err error
			if o.Scheme, err = names.scheme(); err != nil {
				return err
			}
			loc := o.Scheme.Location()
			o.Day = time.Now().In(loc).AddDate(0, 0, -1)
			if date != "" {
				if o.Day, err = time.ParseInLocation("20060102", date, loc); err != nil {
					return usagef("--date %q: want YYYYMMDD", date)
				}
			}
			if o.Every <= 0 {
				return usagef("--every: want a duration such as 60s")
			}
			if o.Out == "" {
				o.Out = "timelapse-" + o.Day.Format("20060102") + ".mp4"
			}
			spec := args[0]
			if camera != "" {
				if spec, err = layout.CameraFolder(spec, camera); err != nil {
					return usagef("--camera: %v", err)
				}
			}
			log, err := g.logger()
			if err != nil {
				return usagef("%v", err)
			}
			ctx, err := g.setupRemote(c.Context(), ro, log)
			if err != nil {
				return err
			}
			if o.Source, err = remote.Open(ctx, spec); err != nil {
				return err
			}
			res, err := record.BuildTimelapse(ctx, o)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "%s: %d frames (%s at 30 fps) from %d segments; read %s in %d ranged reads of %s\n",
				o.Out, res.Frames, (time.Duration(res.Frames) * time.Second / 30).Round(100*time.Millisecond), res.Segments,
				units.FormatSize(res.ReadBytes), res.Reads, units.FormatSize(res.Bytes))
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&date, "date", "", "the day, YYYYMMDD (default: yesterday)")
	f.Var(units.DurationVar(&o.Every), "every", "one key frame this often")
	f.StringVar(&o.Out, "out", "", "the MP4 to write (default timelapse-YYYYMMDD.mp4)")
	f.StringVar(&camera, "camera", "", "camera folder below SOURCE (multi-camera archives)")
	names = addSchemeFlags(f, true)
	ro.AddFlags(f)
	return c
}
