package record

import (
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/rclone/rclone/backend/local"
	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/archive"
	"github.com/camshare/camshare/internal/testcam"
)

// A timelapse made from recorded segments (H.264 and H.265): ffprobe sees
// one frame per wanted moment, 30 fps, every frame a key frame, and every
// frame decodes; only part of the segments' bytes were read.
func TestTimelapseFromSegments(t *testing.T) {
	for _, fx := range []string{"h264_pcma", "h265_pcma"} {
		t.Run(fx, func(t *testing.T) {
			t.Parallel()
			cam := startCam(t, testcam.Options{Fixture: fx})
			dir := t.TempDir()
			s := utcScheme(t).Flat()
			r := startRecorder(t, Options{URL: cam.URL(), Dir: dir, Segment: 10 * time.Second, Scheme: s, NoActivity: true})
			waitFor(t, 120*time.Second, "3 segments", func() bool { return len(files(t, dir, ".mp4")) >= 3 })
			if err := r.stop(t); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			f, err := fs.NewFs(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			segs, err := archive.Segments(ctx, f, s, time.Time{}, time.Time{})
			if err != nil || len(segs) < 3 {
				t.Fatalf("%d segments, %v", len(segs), err)
			}
			// What to expect, from ffprobe of the inputs: for each moment 5 s
			// apart from the first start, the first key frame at or after it.
			var keys []time.Time
			for _, sg := range segs {
				for _, pts := range keyTimes(t, filepath.Join(dir, sg.Path)) {
					keys = append(keys, sg.Start.Add(pts))
				}
			}
			every := 5 * time.Second
			want, used := 0, -1
			end := keys[len(keys)-1]
			for at := segs[0].Start; !at.After(end); at = at.Add(every) {
				for i, k := range keys {
					if i > used && !k.Before(at) {
						if k.Before(at.Add(every)) {
							want++
							used = i
						}
						break
					}
				}
			}
			out := filepath.Join(t.TempDir(), "day.mp4")
			day := segs[0].Start
			res, err := BuildTimelapse(ctx, TimelapseOptions{Source: f, Scheme: utcScheme(t), Day: day, Every: every, Out: out})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%+v", res)
			if res.Frames != want {
				t.Errorf("%d frames, want %d", res.Frames, want)
			}
			decodes(t, out)
			v := probeVideo(t, out)
			if v.Frames != want || v.Rate != "30/1" || v.Keys != want {
				t.Errorf("ffprobe: %d frames (%d key) at %s; want %d at 30/1", v.Frames, v.Keys, v.Rate, want)
			}
			if res.ReadBytes >= res.Bytes/2 {
				t.Errorf("read %d of %d bytes: not ranged", res.ReadBytes, res.Bytes)
			}
		})
	}
}

// keyTimes are the key frames' presentation times in a file.
func keyTimes(t *testing.T, path string) []time.Duration {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	var keys []time.Duration
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pts, flags, _ := strings.Cut(line, ",")
		if strings.Contains(flags, "K") {
			var sec float64
			json.Unmarshal([]byte(pts), &sec)
			keys = append(keys, secs(sec))
		}
	}
	return keys
}

type videoProbe struct {
	Frames, Keys int
	Rate         string
}

// probeVideo decodes every frame and counts them, the key ones, and reads
// the frame rate.
func probeVideo(t *testing.T, path string) videoProbe {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames",
		"-show_entries", "stream=r_frame_rate,avg_frame_rate,nb_read_frames", "-of", "json", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		Streams []struct {
			Rate   string `json:"avg_frame_rate"`
			Frames string `json:"nb_read_frames"`
		}
	}
	if err := json.Unmarshal(out, &p); err != nil || len(p.Streams) != 1 {
		t.Fatalf("ffprobe: %v %s", err, out)
	}
	var v videoProbe
	v.Rate = p.Streams[0].Rate
	json.Unmarshal([]byte(p.Streams[0].Frames), &v.Frames)
	v.Keys = len(keyTimes(t, path))
	return v
}
