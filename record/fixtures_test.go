package record

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/testcam"
)

// TestRecordFixtures records each fixture with 2 s segments for ~7 s and
// checks every file the way a user would: it decodes without a complaint,
// has the expected codecs, starts at a clock boundary, and consecutive
// files cover the stream without gaps or overlaps.
func TestRecordFixtures(t *testing.T) {
	cases := []struct {
		fixture    string
		video, tag string
		audio      string // "" = no audio track expected
		rate       string // the audio's sample rate, when the test names it
	}{
		{"h264_pcma", "h264", "avc1", "aac", ""},
		{"h264_pcmu", "h264", "avc1", "aac", ""},
		{"h264_aac", "h264", "avc1", "aac", ""},
		{"h264_l16", "h264", "avc1", "aac", ""},      // LPCM through the same encoder
		{"h264_mp3", "h264", "avc1", "mp3", "16000"}, // MPEG-2 Layer III, copied
		{"h264", "h264", "avc1", "", ""},
		{"h265_pcma", "hevc", "hvc1", "aac", ""},
		{"h264_spschange", "h264", "avc1", "aac", ""},
	}
	for _, tc := range cases {
		t.Run(tc.fixture, func(t *testing.T) {
			t.Parallel()
			cam := startCam(t, testcam.Options{Fixture: tc.fixture})
			dir := t.TempDir()
			r := startRecorder(t, Options{URL: cam.URL(), Dir: dir, Segment: 2 * time.Second, Scheme: utcScheme(t)})
			// Wait for the first frame, then record ~7 s more.
			waitFor(t, 20*time.Second, "connection", func() bool { return r.ev.count(Connected) > 0 })
			time.Sleep(7 * time.Second)
			if err := r.stop(t); err != nil {
				t.Fatalf("Run: %v", err)
			}
			if tmp := files(t, dir, ".tmp"); len(tmp) > 0 {
				t.Errorf("temp files left after a clean stop: %v", tmp)
			}
			segs := r.segments()
			if len(segs) < 3 {
				t.Fatalf("want ≥ 3 segments in 7 s of 2 s segments, got %d", len(segs))
			}
			if mp4 := files(t, dir, ".mp4"); len(mp4) != len(segs) {
				t.Errorf("%d .mp4 files but %d SegmentClosed events", len(mp4), len(segs))
			}
			sizes := map[string]bool{}
			for i, ev := range segs {
				s := ev.Segment
				t.Log(describe(ev))
				if s.Path != filepath.Join(dir, s.Name) {
					t.Errorf("path %s not in %s", s.Path, dir)
				}
				decodes(t, s.Path)
				st := probe(t, s.Path)
				v := st["video"]
				if v.CodecName != tc.video || v.CodecTag != tc.tag {
					t.Errorf("%s: video %s/%s, want %s/%s", s.Name, v.CodecName, v.CodecTag, tc.video, tc.tag)
				}
				a, hasAudio := st["audio"]
				switch {
				case tc.audio == "" && hasAudio:
					t.Errorf("%s: unexpected audio %s", s.Name, a.CodecName)
				case tc.audio != "" && a.CodecName != tc.audio:
					t.Errorf("%s: audio %q, want %s", s.Name, a.CodecName, tc.audio)
				case tc.rate != "" && a.Rate != tc.rate:
					t.Errorf("%s: audio at %s Hz, want %s", s.Name, a.Rate, tc.rate)
				}
				// The file's own video duration is what the event says.
				if !within(secs(v.dur()), s.Duration, frame/2) {
					t.Errorf("%s: ffprobe video duration %vs, event says %v", s.Name, v.dur(), s.Duration)
				}
				// Audio covers the video: the AAC frame that straddles a cut
				// stays in the earlier file, so audio starts less than one
				// frame after the first picture and ends less than one frame
				// after the last one. Not checked for the first file (audio
				// may begin after the first keyframe) nor the last (the stop
				// cuts it wherever the audio in flight happens to be).
				if hasAudio && i > 0 && i < len(segs)-1 {
					af := a.aacFrame() + 5*time.Millisecond
					start, end := packetSpan(t, s.Path, "a")
					if start < 0 || start > af || end < s.Duration || end > s.Duration+af {
						t.Errorf("%s: audio %v–%v does not cover video %v (AAC frame %v)", s.Name, start, end, s.Duration, a.aacFrame())
					}
				}
				// Name = wall time of the first frame.
				nameTime, ok := utcScheme(t).Time(s.Name)
				if !ok || !nameTime.Equal(s.Start.Truncate(time.Second)) {
					t.Errorf("%s: name does not carry the start %v", s.Name, s.Start)
				}
				fs := frameSizes(t, s.Path)
				if len(fs) != 1 {
					t.Errorf("%s: picture size changes inside the file: %v", s.Name, fs)
				}
				for _, f := range fs {
					sizes[f] = true
				}
				if i == 0 {
					continue
				}
				prev := segs[i-1].Segment
				// Gap-free: this file starts where the previous one ended.
				if gap := s.Start.Sub(prev.Start.Add(prev.Duration)); !within(gap, 0, frame) {
					t.Errorf("%s: gap of %v after %s", s.Name, gap, prev.Name)
				}
				// Clock-aligned: the cut is the first keyframe at or after a
				// 2 s boundary (the parameter-set change may cut earlier).
				boundary := s.Start.Truncate(2 * time.Second)
				if off := s.Start.Sub(boundary); off > gop+frame && tc.fixture != "h264_spschange" {
					t.Errorf("%s: starts %v after the boundary %v", s.Name, off, boundary.Format("15:04:05"))
				}
				if tc.fixture != "h264_spschange" && i < len(segs)-1 && !within(s.Duration, 2*time.Second, gop) {
					t.Errorf("%s: a middle segment lasts %v", s.Name, s.Duration)
				}
			}
			if tc.fixture == "h264_spschange" && len(sizes) < 2 {
				t.Errorf("the SPS change was not recorded: sizes %v", sizes)
			}
			// The durations add up to the recorded span.
			first, last := segs[0].Segment, segs[len(segs)-1].Segment
			var sum time.Duration
			for _, ev := range segs {
				sum += ev.Segment.Duration
			}
			if span := last.Start.Add(last.Duration).Sub(first.Start); !within(sum, span, frame) {
				t.Errorf("durations add up to %v, span is %v", sum, span)
			}
		})
	}
}
