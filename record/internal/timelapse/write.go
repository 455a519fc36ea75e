package timelapse

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"

	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/record/internal/segment"
)

// FPS is the timelapse's frame rate: a day of one frame a minute plays in
// 48 s.
const FPS = 30

const (
	clock = 90000
	tick  = clock / FPS
)

// Write writes the frames as an MP4 at path, FPS frames per second, through
// the recorder's segment writer (crash-safe: a temp file renamed when
// complete). The codec's parameter sets come from the first frame, which
// carries them in-band as camshare records every key frame.
func Write(path string, r *Result) error {
	if len(r.Frames) == 0 {
		return errors.New("timelapse: no key frame found for that day")
	}
	codec, err := codecOf(r.Frames[0].Payload, r.H265)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp(filepath.Dir(path), ".timelapse-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	w, err := segment.Create(dir, layout.Default().Flat(), r.Frames[0].At, []*segment.Track{{ID: 1, TimeScale: clock, Codec: codec}})
	if err != nil {
		return err
	}
	for i, f := range r.Frames {
		if err := w.Write(1, int64(i*tick), &fmp4.Sample{Payload: f.Payload}); err != nil {
			w.Abort()
			return err
		}
	}
	info, err := w.Close(map[int]int64{1: int64(len(r.Frames) * tick)})
	if err != nil {
		return err
	}
	return os.Rename(info.Path, path)
}

// codecOf reads the parameter sets out of a key frame's NAL units.
func codecOf(payload []byte, h265 bool) (fmp4.Codec, error) {
	var vps, sps, pps []byte
	for _, nal := range nalUnits(payload) {
		t := nalType(nal, h265)
		if h265 {
			switch t {
			case 32:
				vps = nal
			case 33:
				sps = nal
			case 34:
				pps = nal
			}
			continue
		}
		switch t {
		case 7:
			sps = nal
		case 8:
			pps = nal
		}
	}
	switch {
	case h265 && vps != nil && sps != nil && pps != nil:
		return &fmp4.CodecH265{VPS: vps, SPS: sps, PPS: pps}, nil
	case !h265 && sps != nil && pps != nil:
		return &fmp4.CodecH264{SPS: sps, PPS: pps}, nil
	}
	return nil, fmt.Errorf("timelapse: the first key frame carries no parameter sets, in the frame or its track")
}
