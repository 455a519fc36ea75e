// Package audio converts the G.711 audio of cheap IP cameras (PCMA/PCMU,
// 8 kHz mono), which MP4 players and browsers cannot play, into AAC-LC, which
// plays with sound in Chromium, Firefox, Safari/iPhone, Android and VLC. It is
// pure Go: the encoder is go-aac's port of FFmpeg's native AAC encoder
// (LGPL-2.1-or-later), vendored under internal/goaac so it can code 8 kHz.
package audio

import (
	"fmt"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	aac "github.com/tphakala/go-aac"

	"github.com/camshare/camshare/record/internal/audio/internal/goaac/enc"
)

const (
	// sampleRate is both the G.711 clock and the AAC sample rate: the audio
	// is coded at its own 8 kHz, as ffmpeg does, which is what players
	// expect of camera recordings and costs a sixth of the frames that
	// upsampling to 48 kHz would (the vendored encoder takes 8 kHz, see
	// internal/goaac/README.md).
	sampleRate = 8000
	// frameSize is the samples per AAC-LC access unit, and encoderDelay the
	// encoder's priming: its output starts one frame before its input.
	frameSize    = SamplesPerAU
	encoderDelay = frameSize
	// aacBitrate is the target of the reference `ffmpeg -b:a 48k`; at 8 kHz
	// the fast coder reaches about 42 kbit/s and its output decodes to 36 dB
	// SNR against the G.711 input (ffmpeg's own: 39 dB), for about 10% more
	// CPU than 32 kbit/s (31 dB). BenchmarkCoders has the figures.
	aacBitrate = 48000
	// maxSilenceFill: forward gaps in pts up to 256 ms (lost packets) are
	// filled with silence so audio keeps its place relative to video.
	// Larger gaps restart the stream at the new pts. Two frames is also the
	// smallest gap for which the restarted stream (whose priming unit starts
	// a frame early) cannot overlap the end of the flushed one.
	maxSilenceFill = 2 * frameSize
	// maxOverlapTrim: pts going back by up to 100 ms (a repeated or
	// overlapping packet) drops the samples already had; more is a clock
	// jump and restarts the stream.
	maxOverlapTrim = sampleRate / 10
)

// SamplesPerAU is the duration of every AU in SampleRate ticks (the fMP4
// sample duration).
const SamplesPerAU = 1024

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
// unit of every stream (at start and after each restart) gets the PTS
// anchor-1024 (it decodes to near silence, ending where the input begins), so
// every following unit k carries exactly the input audio from
// anchor+1024(k-1), and decoded audio lines up with the source sample for
// sample without an edit list. A muxer that cannot start a track before its
// first video frame may drop units whose PTS precede it (losing at most the
// first 128 ms of the stream).
type Transcoder struct {
	table *[256]float32
	cfg   enc.Config
	enc   *enc.Encoder

	frame  [frameSize]float32 // samples waiting for the encoder
	planar [][]float32        // {frame[:]}, the encoder's input shape
	fill   int                // samples in frame

	anchored bool
	next     int64 // pts the next input sample should have
	auPTS    int64 // PTS of the next unit the encoder returns

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
	return newTranscoder(mulaw, enc.Config{
		SampleRate: sampleRate,
		Bitrate:    aacBitrate,
		Channels:   1,
		Coder:      aacCoder,
	})
}

// aacCoder is the encoder's fast coder (FFmpeg's constrained two-loop
// search): a third of the CPU of the others (BenchmarkCoders), which keeps the
// transcoder at about a fifth of ffmpeg's CPU (bench/audio.sh).
const aacCoder = enc.CoderFast

// newTranscoder takes the encoder settings from the benchmarks, which
// compare coders and bitrates.
func newTranscoder(mulaw bool, cfg enc.Config) (*Transcoder, error) {
	t := &Transcoder{table: alawTable, cfg: cfg}
	if mulaw {
		t.table = mulawTable
	}
	e, err := enc.New(t.cfg)
	if err != nil {
		return nil, fmt.Errorf("audio: AAC encoder: %w", err)
	}
	t.enc = e
	t.planar = [][]float32{t.frame[:]}
	return t, nil
}

// SampleRate is the AAC track's clock rate (8000, the G.711 clock).
func (t *Transcoder) SampleRate() int { return sampleRate }

// Config is the AudioSpecificConfig for the fMP4 track
// (fmp4.CodecMPEG4Audio{Config: t.Config()}).
func (t *Transcoder) Config() mpeg4audio.AudioSpecificConfig {
	return mpeg4audio.AudioSpecificConfig{
		Type:         mpeg4audio.ObjectTypeAACLC,
		SampleRate:   sampleRate,
		ChannelCount: 1,
	}
}

// Write takes G.711 bytes whose first sample is at pts (8 kHz ticks, the
// unwrapped RTP clock of the G.711 track) and returns the access units
// completed so far, PTS in SampleRate ticks on the same time base (the same
// clock, as SampleRate is 8000). Forward gaps up to 256 ms are filled with
// silence and overlaps up to 100 ms dropped; a larger jump flushes the
// stream and restarts it at pts, so PTS may step (backwards too, if the
// input did).
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
		case gap > maxSilenceFill || gap < -maxOverlapTrim:
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
	t.auPTS = pts - encoderDelay
}

// feed takes one sample; every 1024 make a frame for the encoder.
func (t *Transcoder) feed(x float32) {
	t.frame[t.fill] = x
	t.fill++
	if t.fill == frameSize {
		t.encode(t.planar)
		t.fill = 0
	}
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
		t.auPTS += frameSize
	}
}

// endStream pads the last frame with silence, drains the encoder and rearms
// it for a new stream.
func (t *Transcoder) endStream() {
	if !t.anchored {
		return
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
	dst, err := aac.AppendADTSHeader(dst, sampleRate, 1, len(au.Data))
	if err != nil {
		return dst, fmt.Errorf("audio: ADTS: %w", err)
	}
	return append(dst, au.Data...), nil
}
