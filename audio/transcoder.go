// Package audio converts the G.711 audio of cheap IP cameras (PCMA/PCMU,
// 8 kHz mono), which MP4 players and browsers cannot play, into AAC-LC, which
// plays with sound in Chromium, Firefox, Safari/iPhone, Android and VLC. It is
// pure Go (github.com/tphakala/go-aac, LGPL-2.1-or-later, a port of FFmpeg's
// native AAC encoder).
package audio

import (
	"fmt"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	aac "github.com/tphakala/go-aac"
)

const (
	// g711Rate is the clock rate of G.711 RTP and of Write's pts.
	g711Rate = 8000
	// aacRate is the AAC sample rate: go-aac v0.4.0 encodes only 44.1 and
	// 48 kHz, and 48 kHz is an exact multiple of 8 kHz (x6, no fractional
	// resampling, integer PTS conversion).
	aacRate = g711Rate * upFactor
	// aacBitrate: the content is 4 kHz wide telephone-band audio; 32 kbit/s
	// mono codes it transparently for a camera microphone.
	aacBitrate = 32000
	// aacCutoff limits coding to the band G.711 can carry. It also removes
	// any residual upsampling image above 4 kHz, and bands above it cost the
	// encoder nothing.
	aacCutoff = g711Rate / 2
	// reanchorGap: a jump in pts larger than this (100 ms) is a
	// discontinuity, not jitter: the stream is ended and restarted at the
	// new pts. Smaller gaps are filled with silence and smaller overlaps are
	// trimmed, so audio keeps its place relative to video.
	reanchorGap = g711Rate / 10
)

// AU is one AAC-LC access unit: 1024 samples at SampleRate starting at PTS
// (in SampleRate ticks). Data belongs to the caller.
type AU struct {
	PTS  int64
	Data []byte
}

// Transcoder turns G.711 into AAC-LC access units. Not safe for concurrent use.
//
// Priming: the encoder emits one access unit more than the audio it was fed,
// because AAC's first frame only primes the overlapping transform. That first
// unit of every stream (at start and after each re-anchor) gets the PTS
// anchor-1024 (it decodes to near silence, ending where the input begins), so
// every following unit k carries exactly the input audio at anchor+1024(k-1)
// and decoded audio lines up with the source sample for sample, without an
// edit list. A muxer that cannot start a track before its first video frame
// may drop units whose PTS precede it.
type Transcoder struct {
	table *[256]float32
	cfg   aac.EncoderConfig
	enc   *aac.Encoder
	up    upsampler

	frame  [aac.FrameSize]float32 // 48 kHz samples waiting for the encoder
	planar [][]float32            // {frame[:]}, the encoder's input shape
	fill   int                    // samples in frame

	anchored bool
	next     int64 // pts (8 kHz) the next input sample should have
	auPTS    int64 // PTS (aacRate ticks) of the next unit the encoder returns

	slab []byte  // this call's encoded units, back to back (reused)
	refs []auRef // where each unit ends in slab (reused)
	err  error   // sticky: the encoder is unusable after an error
}

type auRef struct {
	pts int64
	end int
}

// NewG711Transcoder returns a transcoder for µ-law (PCMU) when mulaw is true,
// otherwise A-law (PCMA).
func NewG711Transcoder(mulaw bool) (*Transcoder, error) {
	t := &Transcoder{table: alawTable}
	if mulaw {
		t.table = mulawTable
	}
	t.cfg = aac.EncoderConfig{
		SampleRate: aacRate,
		Channels:   1,
		Bitrate:    aacBitrate,
		Cutoff:     aacCutoff,
		Coder:      aac.CoderFast,
	}
	enc, err := aac.NewEncoder(t.cfg)
	if err != nil {
		return nil, fmt.Errorf("audio: AAC encoder: %w", err)
	}
	t.enc = enc
	t.planar = [][]float32{t.frame[:]}
	t.up.reset()
	return t, nil
}

// SampleRate is the AAC track's clock rate (48000).
func (t *Transcoder) SampleRate() int { return aacRate }

// Config is the AudioSpecificConfig for the fMP4 track
// (fmp4.CodecMPEG4Audio{Config: t.Config()}).
func (t *Transcoder) Config() mpeg4audio.AudioSpecificConfig {
	return mpeg4audio.AudioSpecificConfig{
		Type:         mpeg4audio.ObjectTypeAACLC,
		SampleRate:   aacRate,
		ChannelCount: 1,
	}
}

// Write takes G.711 bytes whose first sample is at pts (8 kHz ticks, the
// unwrapped RTP clock of the G.711 track) and returns the access units
// completed so far, PTS in SampleRate ticks on the same time base
// (pts*SampleRate/8000). A jump of more than 100 ms re-anchors: the current
// stream is flushed and a new one starts at pts, so PTS may step (even
// backwards, if the input did). Smaller gaps are filled with silence and
// smaller overlaps dropped.
func (t *Transcoder) Write(g711 []byte, pts int64) ([]AU, error) {
	if t.err != nil {
		return nil, t.err
	}
	if len(g711) == 0 {
		return nil, nil
	}
	if !t.anchored {
		t.start(pts)
	} else {
		switch gap := pts - t.next; {
		case gap > reanchorGap || gap < -reanchorGap:
			t.endStream()
			t.start(pts)
		case gap > 0:
			for range gap {
				t.feed(0)
			}
		case gap < 0:
			skip := int(-gap)
			if skip >= len(g711) {
				return t.collect()
			}
			g711 = g711[skip:]
			pts += int64(skip)
		}
	}
	for _, b := range g711 {
		t.feed(t.table[b])
	}
	t.next = pts + int64(len(g711))
	return t.collect()
}

// Flush ends the stream: the last partial frame is padded with silence and
// every remaining unit returned. The next Write starts a new stream.
func (t *Transcoder) Flush() ([]AU, error) {
	if t.err != nil {
		return nil, t.err
	}
	t.endStream()
	return t.collect()
}

func (t *Transcoder) start(pts int64) {
	t.anchored = true
	t.next = pts
	t.auPTS = pts*upFactor - aac.EncoderDelay
}

// feed takes one 8 kHz sample; every 1024 upsampled samples make a frame.
func (t *Transcoder) feed(x float32) {
	var y [upFactor]float32
	if !t.up.push(x, &y) {
		return
	}
	n := copy(t.frame[t.fill:], y[:])
	t.fill += n
	if t.fill < len(t.frame) {
		return
	}
	t.encode(t.planar)
	t.fill = copy(t.frame[:], y[n:])
}

// encode hands one frame (nil: drain) to the encoder and records the unit it
// returns, if any (none while priming).
func (t *Transcoder) encode(samples [][]float32) {
	if t.err != nil {
		return
	}
	start := len(t.slab)
	slab, err := t.enc.EncodeFrame(t.slab, samples)
	if err != nil {
		t.err = fmt.Errorf("audio: AAC encode: %w", err)
		return
	}
	t.slab = slab
	if len(slab) > start {
		t.refs = append(t.refs, auRef{pts: t.auPTS, end: len(slab)})
		t.auPTS += aac.FrameSize
	}
}

// endStream releases the upsampler's look-ahead, pads the last frame with
// silence, drains the encoder and rearms everything for a new stream.
func (t *Transcoder) endStream() {
	if !t.anchored {
		return
	}
	for range t.up.tail() {
		t.feed(0)
	}
	if t.fill > 0 {
		clear(t.frame[t.fill:])
		t.encode(t.planar)
	}
	for t.err == nil && !t.enc.Drained() {
		t.encode(nil)
	}
	if t.err == nil {
		if err := t.enc.Reset(t.cfg); err != nil {
			t.err = fmt.Errorf("audio: AAC encoder: %w", err)
		}
	}
	t.up.reset()
	t.fill = 0
	t.anchored = false
}

// collect copies this call's units into one caller-owned buffer (one
// allocation however many units) and resets the scratch.
func (t *Transcoder) collect() ([]AU, error) {
	if t.err != nil {
		return nil, t.err
	}
	if len(t.refs) == 0 {
		return nil, nil
	}
	data := make([]byte, len(t.slab))
	copy(data, t.slab)
	aus := make([]AU, len(t.refs))
	start := 0
	for i, r := range t.refs {
		aus[i] = AU{PTS: r.pts, Data: data[start:r.end:r.end]}
		start = r.end
	}
	t.slab, t.refs = t.slab[:0], t.refs[:0]
	return aus, nil
}

// AppendADTS appends au framed as ADTS (a self-contained .aac stream, handy
// for debugging and tests).
func (t *Transcoder) AppendADTS(dst []byte, au AU) ([]byte, error) {
	dst, err := aac.AppendADTSHeader(dst, aacRate, 1, len(au.Data))
	if err != nil {
		return dst, fmt.Errorf("audio: ADTS: %w", err)
	}
	return append(dst, au.Data...), nil
}
