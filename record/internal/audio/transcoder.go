// Package audio converts the G.711 audio of cheap IP cameras (PCMA/PCMU,
// 8 kHz mono), and 16-bit LPCM (RTP L16), which MP4 players and browsers
// cannot play, into AAC-LC, which
// plays with sound in Chromium, Firefox, Safari/iPhone, Android and VLC. It is
// pure Go, and the encoder is this project's own (aac_*.go), written from
// ISO/IEC 14496-3.
package audio

import (
	"fmt"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
)

const (
	// sampleRate is both the G.711 clock and the AAC sample rate: the audio
	// is coded at its own 8 kHz, as ffmpeg does, which is what players
	// expect of camera recordings and costs a sixth of the frames that
	// upsampling to 48 kHz would.
	sampleRate = 8000
	// frameSize is the samples per AAC-LC access unit, and encoderDelay the
	// encoder's priming: its output starts one frame before its input.
	frameSize    = SamplesPerAU
	encoderDelay = frameSize
	// aacBitrate: the reference set-up's `ffmpeg -b:a 48k`. At 32 kbit/s
	// TestQuality measured speech 3.7 dB and room tone 2.5 dB below ffmpeg's
	// segmental SNR; at 48 kbit/s it is 2-7 dB above it.
	aacBitrate = 48000
	// maxSilenceFill: forward gaps in pts up to two frames (256 ms at 8 kHz;
	// lost packets) are filled with silence so audio keeps its place
	// relative to video.
	// Larger gaps restart the stream at the new pts. Two frames is also the
	// smallest gap for which the restarted stream (whose priming unit starts
	// a frame early) cannot overlap the end of the flushed one.
	maxSilenceFill = 2 * frameSize
	// maxOverlapTrim: pts going back by up to 100 ms (a repeated or
	// overlapping packet) drops the samples already had; more is a clock
	// jump and restarts the stream. In G.711 samples; other rates scale.
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
	table *[256]float32 // G.711 expansion; nil: 16-bit big-endian LPCM
	rate  int           // samples per second, also the pts clock
	enc   *aacEncoder

	frame [frameSize]float32 // samples waiting for the encoder
	fill  int                // samples in frame

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
	return newTranscoder(mulaw, aacBitrate)
}

// newTranscoder takes the bitrate from the benchmarks, which compare a few.
func newTranscoder(mulaw bool, bitrate int) (*Transcoder, error) {
	table := alawTable
	if mulaw {
		table = mulawTable
	}
	return newRateTranscoder(table, sampleRate, bitrate)
}

// NewLPCMTranscoder returns a transcoder for 16-bit big-endian mono LPCM
// (RTP L16) at rate, which must be an AAC sample rate (8 or 16 kHz from a
// camera; up to 48 kHz).
func NewLPCMTranscoder(rate int) (*Transcoder, error) {
	return newRateTranscoder(nil, rate, aacBitrate)
}

func newRateTranscoder(table *[256]float32, rate, bitrate int) (*Transcoder, error) {
	e, err := newAACEncoder(rate, bitrate)
	if err != nil {
		return nil, fmt.Errorf("audio: AAC encoder: %w", err)
	}
	return &Transcoder{table: table, rate: rate, enc: e}, nil
}

// SampleRate is the AAC track's clock rate: the input's (8000 for G.711).
func (t *Transcoder) SampleRate() int { return t.rate }

// Config is the AudioSpecificConfig for the fMP4 track
// (fmp4.CodecMPEG4Audio{Config: t.Config()}).
func (t *Transcoder) Config() mpeg4audio.AudioSpecificConfig {
	return mpeg4audio.AudioSpecificConfig{
		Type:         mpeg4audio.ObjectTypeAACLC,
		SampleRate:   t.rate,
		ChannelCount: 1,
	}
}

// Write takes G.711 bytes (or LPCM samples) whose first sample is at pts
// (SampleRate ticks, the unwrapped RTP clock of the track) and returns the
// access units completed so far, PTS on the same clock. Forward gaps up to
// two frames are filled with silence and overlaps up to 100 ms dropped; a
// larger jump flushes the stream and restarts it at pts, so PTS may step
// (backwards too, if the input did).
func (t *Transcoder) Write(g711 []byte, pts int64) ([]AU, error) {
	if t.err != nil {
		return nil, t.err
	}
	if len(g711) < t.sampleBytes() {
		return nil, nil
	}
	overlapTrim := int64(maxOverlapTrim * t.rate / sampleRate)
	if !t.anchored {
		t.start(pts)
	} else {
		switch gap := pts - t.next; {
		case gap > maxSilenceFill || gap < -overlapTrim:
			t.endStream()
			t.start(pts)
		case gap > 0:
			for range gap {
				t.feed(0)
			}
		case gap < 0:
			skip := int(-gap)
			if skip >= len(g711)/t.sampleBytes() {
				return t.collect()
			}
			g711 = g711[skip*t.sampleBytes():]
			pts += int64(skip)
		}
	}
	n := t.feedAll(g711)
	t.next = pts + int64(n)
	return t.collect()
}

func (t *Transcoder) sampleBytes() int {
	if t.table == nil {
		return 2
	}
	return 1
}

// feedAll decodes and feeds every whole sample of b and returns how many.
func (t *Transcoder) feedAll(b []byte) int {
	if t.table != nil {
		for _, x := range b {
			t.feed(t.table[x])
		}
		return len(b)
	}
	n := len(b) / 2
	for i := range n {
		t.feed(float32(int16(uint16(b[2*i])<<8|uint16(b[2*i+1]))) / 32768)
	}
	return n
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
		t.encode(t.frame[:])
		t.fill = 0
	}
}

// encode hands one frame (nil: silence, to drain) to the encoder and
// records the unit it returns.
func (t *Transcoder) encode(samples []float32) {
	t.slab = t.enc.encode(t.slab, samples)
	t.refs = append(t.refs, auRef{pts: t.auPTS, end: len(t.slab)})
	t.auPTS += frameSize
}

// endStream pads the last frame with silence, drains the encoder (one more
// unit finishes the last frame) and rearms it for a new stream.
func (t *Transcoder) endStream() {
	if !t.anchored {
		return
	}
	if t.fill > 0 {
		clear(t.frame[t.fill:])
		t.encode(t.frame[:])
	}
	t.encode(nil)
	t.enc.reset()
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
	return appendADTS(dst, t.enc.rateIndex, au.Data)
}

// appendADTS writes the 7-byte ADTS header of ISO/IEC 13818-7 6.2 (MPEG-4,
// no CRC, AAC-LC, mono, buffer fullness 0x7FF: variable rate) and payload.
func appendADTS(dst []byte, rateIndex int, payload []byte) ([]byte, error) {
	n := len(payload) + 7
	if n >= 1<<13 {
		return dst, fmt.Errorf("audio: ADTS: unit of %d bytes is too large", len(payload))
	}
	var w bitWriter
	w.reset(dst)
	w.put(0xfff, 12)            // syncword
	w.put(0, 1)                 // ID: MPEG-4
	w.put(0, 2)                 // layer
	w.put(1, 1)                 // protection_absent
	w.put(1, 2)                 // profile: AAC LC (object type - 1)
	w.put(uint32(rateIndex), 4) // sampling_frequency_index
	w.put(0, 1)                 // private_bit
	w.put(1, 3)                 // channel_configuration: mono
	w.put(0, 4)                 // original/copy, home, two copyright bits
	w.put(uint32(n), 13)        // aac_frame_length, header included
	w.put(0x7ff, 11)            // adts_buffer_fullness
	w.put(0, 2)                 // one raw data block
	return append(w.align(), payload...), nil
}
