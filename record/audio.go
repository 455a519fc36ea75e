package record

import (
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/opus"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"
	"github.com/pion/rtp"

	"github.com/camshare/camshare/record/internal/audio"
)

// backlogSeconds is how much audio may wait for the transcoder: 30 s
// (240 kB of G.711 at most, only while it lags). Beyond that audio is
// dropped, never the video. Three seconds used to be the bound, and a
// camera that froze for 5 s and then sent what it had buffered, or a phone
// busy for a few seconds, lost audio (issue 11 #15): the transcoder runs at
// ~100x real time, so any backlog a camera or a busy machine makes is
// worked off within a fraction of a second.
const backlogSeconds = 30

// batchFrames: the worker is woken once a second of samples (8 AAC frames
// at 8 kHz) is queued, not for every 40 ms packet: each wake-up costs more
// CPU than the work it does (see wakeInterval).
const batchFrames = 8

// audioSource is the audio track a session records, and how.
type audioSource struct {
	media *description.Media
	forma format.Format
	out   *audioOut
	auDur func(au []byte) int64 // passthrough: an access unit's duration in ticks

	enc *audio.Transcoder // G.711 and LPCM; nil for passthrough
	// RTP callback → transcoder worker: packets queue under mu, and wake
	// (capacity 1) tells the worker there is a batch.
	mu      sync.Mutex
	queue   []pcmPacket
	queued  int // bytes in queue
	backlog int // most bytes queued
	batch   int // bytes that wake the worker
	stopped bool
	wake    chan struct{}
	done    sync.WaitGroup
	drops   atomic.Int64 // packets dropped because the queue was full
	warned  atomic.Bool
	log     *slog.Logger
}

type pcmPacket struct {
	pts  int64 // track clock ticks (= samples)
	data []byte
}

func aacDuration([]byte) int64 { return mpeg4audio.SamplesPerAccessUnit }

// pickAudio chooses the first audio track camshare can record: AAC, Opus
// and MP3 pass through; G.711 and 16-bit mono LPCM are transcoded to
// AAC-LC. Anything else is left out; skipped names what was, for the
// caller's one warning.
func pickAudio(desc *description.Session, log *slog.Logger) (src *audioSource, skipped []string, err error) {
	for _, m := range desc.Medias {
		if m.Type != description.MediaTypeAudio || m.IsBackChannel {
			continue
		}
		for _, f := range m.Formats {
			src, why, err := audioFor(m, f, log)
			if err != nil || src != nil {
				return src, nil, err
			}
			skipped = append(skipped, why)
		}
	}
	return nil, skipped, nil
}

// audioFor is how one format is recorded, or why it is not.
func audioFor(m *description.Media, f format.Format, log *slog.Logger) (*audioSource, string, error) {
	switch f := f.(type) {
	case *format.MPEG4Audio:
		if f.Config == nil || f.Config.SampleRate == 0 {
			return nil, "AAC without configuration", nil
		}
		return &audioSource{media: m, forma: f, log: log, auDur: aacDuration, out: &audioOut{
			rate:  f.Config.SampleRate,
			codec: &fmp4.CodecMPEG4Audio{Config: *f.Config},
		}}, "", nil
	case *format.Opus:
		// Copied as it is: Opus in MP4 plays in Chromium and Firefox.
		return &audioSource{media: m, forma: f, log: log, auDur: opus.PacketDuration2, out: &audioOut{
			rate:  f.ClockRate(),
			codec: &fmp4.CodecOpus{ChannelCount: max(1, f.ChannelCount)}, name: "opus",
		}}, "", nil
	case *format.MPEG1Audio:
		return mp3Source(m, f, log), "", nil
	case *format.G711:
		if f.ChannelCount > 1 || f.ClockRate() != 8000 {
			return nil, "G.711 that is not 8 kHz mono", nil
		}
		t, err := audio.NewG711Transcoder(f.MULaw)
		if err != nil {
			return nil, "", err
		}
		return transcodedSource(m, f, t, 1, log), "", nil
	case *format.LPCM:
		if f.BitDepth != 16 || f.ChannelCount != 1 {
			return nil, "LPCM that is not 16-bit mono", nil
		}
		t, err := audio.NewLPCMTranscoder(f.SampleRate)
		if err != nil {
			return nil, "LPCM at an AAC-less rate", nil
		}
		return transcodedSource(m, f, t, 2, log), "", nil
	}
	return nil, f.Codec(), nil
}

// transcodedSource records f through t; sampleBytes is the input's size
// of one sample.
func transcodedSource(m *description.Media, f format.Format, t *audio.Transcoder, sampleBytes int, log *slog.Logger) *audioSource {
	a := &audioSource{media: m, forma: f, log: log, enc: t, wake: make(chan struct{}, 1),
		backlog: backlogSeconds * t.SampleRate() * sampleBytes,
		batch:   batchFrames * audio.SamplesPerAU * sampleBytes * t.SampleRate() / 8000}
	a.out = &audioOut{rate: t.SampleRate(), codec: &fmp4.CodecMPEG4Audio{Config: t.Config()}, drops: &a.drops}
	return a
}

// attach registers the RTP callback (after Setup) and starts the worker.
// RTP callbacks run on gortsplib's reader goroutine: they only unpack and
// queue. AAC units wait for room in units as video does (the cutter never
// waits on the network, so this is brief); samples to transcode wait in
// the worker's backlog, and only beyond it are dropped.
func (a *audioSource) attach(c *gortsplib.Client, units chan<- unit) error {
	unpack, err := unpacker(a.forma)
	if err != nil {
		return err
	}
	c.OnPacketRTP(a.media, a.forma, func(pkt *rtp.Packet) {
		pts, ok := c.PacketPTS2(a.media, pkt)
		if !ok {
			return
		}
		payloads, err := unpack(pkt)
		if err != nil {
			return
		}
		for _, p := range payloads {
			if len(p) == 0 {
				continue
			}
			if a.enc != nil {
				a.enqueue(pcmPacket{pts: pts, data: p})
				continue
			}
			d := a.auDur(p)
			if d == 0 {
				continue // not a frame
			}
			units <- unit{audio: true, pts: pts, data: p, dur: d}
			pts += d
		}
	})
	if a.enc != nil {
		a.done.Add(1)
		go a.transcode(units)
	}
	return nil
}

// unpacker is the RTP depacketizer of f: the access units (or the one run
// of samples) each packet carries.
func unpacker(f format.Format) (func(*rtp.Packet) ([][]byte, error), error) {
	one := func(b []byte, err error) ([][]byte, error) { return [][]byte{b}, err }
	switch f := f.(type) {
	case *format.MPEG4Audio:
		dec, err := f.CreateDecoder()
		if err != nil {
			return nil, err
		}
		return dec.Decode, nil
	case *format.G711:
		dec, err := f.CreateDecoder()
		if err != nil {
			return nil, err
		}
		return func(p *rtp.Packet) ([][]byte, error) { return one(dec.Decode(p)) }, nil
	case *format.LPCM:
		dec, err := f.CreateDecoder()
		if err != nil {
			return nil, err
		}
		return func(p *rtp.Packet) ([][]byte, error) { return one(dec.Decode(p)) }, nil
	case *format.Opus:
		dec, err := f.CreateDecoder()
		if err != nil {
			return nil, err
		}
		return func(p *rtp.Packet) ([][]byte, error) { return one(dec.Decode(p)) }, nil
	case *format.MPEG1Audio:
		return new(mp3Depacketizer).decode, nil
	}
	return nil, fmt.Errorf("no depacketizer for %s", f.Codec())
}

// enqueue runs on the RTP reader: it only queues the packet (gortsplib
// allocates every payload afresh, so the bytes cross without a copy) and
// wakes the worker once a frame's worth is waiting.
func (a *audioSource) enqueue(p pcmPacket) {
	a.mu.Lock()
	if a.queued+len(p.data) > a.backlog {
		a.mu.Unlock()
		a.dropped()
		return
	}
	a.queue = append(a.queue, p)
	a.queued += len(p.data)
	ready := a.queued >= a.batch
	a.mu.Unlock()
	if ready {
		select {
		case a.wake <- struct{}{}:
		default: // already signalled
		}
	}
}

// take hands the worker everything queued (and whether it should stop).
func (a *audioSource) take(spare []pcmPacket) ([]pcmPacket, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	batch := a.queue
	a.queue, a.queued = spare[:0], 0
	return batch, a.stopped
}

// transcode is the transcoding worker: it turns queued packets into AAC units
// until stopped, then flushes the encoder's tail.
func (a *audioSource) transcode(units chan<- unit) {
	defer a.done.Done()
	send := func(aus []audio.AU) {
		for _, au := range aus {
			units <- unit{audio: true, pts: au.PTS, data: au.Data, dur: mpeg4audio.SamplesPerAccessUnit}
		}
	}
	failed := false
	var spare []pcmPacket
	for {
		<-a.wake
		batch, stop := a.take(spare)
		for _, p := range batch {
			if failed {
				break
			}
			aus, err := a.enc.Write(p.data, p.pts)
			if err != nil {
				a.log.Warn("audio transcoding failed; recording video only", "err", err)
				failed = true
				break
			}
			send(aus)
		}
		clear(batch) // drop payload references
		spare = batch
		if stop {
			break
		}
	}
	if !failed {
		if aus, err := a.enc.Flush(); err == nil {
			send(aus)
		}
	}
}

// stop ends the worker once no callback can run any more (after the
// client is closed), waiting for the queued audio and the encoder's tail.
func (a *audioSource) stop() {
	if a.wake != nil {
		a.mu.Lock()
		a.stopped = true
		a.mu.Unlock()
		select {
		case a.wake <- struct{}{}:
		default:
		}
	}
	a.done.Wait()
	if n := a.drops.Load(); n > 0 {
		a.log.Warn("audio was dropped because writing fell behind", "units", n)
	}
}

// dropped counts a dropped packet (the cutter reports the count as an
// event), with one warning when it starts.
func (a *audioSource) dropped() {
	a.drops.Add(1)
	if !a.warned.Swap(true) {
		a.log.Warn("audio is falling behind; dropping audio to keep the video")
	}
}
