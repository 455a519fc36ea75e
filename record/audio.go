package record

import (
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"
	"github.com/pion/rtp"

	"github.com/camshare/camshare/record/internal/audio"
)

// g711Backlog is how much G.711 audio (bytes = samples at 8 kHz) may wait
// for the transcoder: 30 s (240 kB at most, only while it lags). Beyond
// that audio is dropped, never the video. Three seconds used to be the
// bound, and a camera that froze for 5 s and then sent what it had
// buffered, or a phone busy for a few seconds, lost audio (issue 11 #15):
// the transcoder runs at ~100x real time, so any backlog a camera or a
// busy machine makes is worked off within a fraction of a second.
const g711Backlog = 30 * 8000

// g711Batch: the worker is woken once a second of samples (8 AAC frames)
// is queued, not for every 20 ms packet: each wake-up costs more
// CPU than the work it does (see wakeInterval).
const g711Batch = 8 * audio.SamplesPerAU

// audioSource is the audio track a session records, and how.
type audioSource struct {
	media *description.Media
	forma format.Format
	out   *audioOut

	g711 *audio.Transcoder // nil for passthrough
	// RTP callback → transcoder worker: packets queue under mu, and wake
	// (capacity 1) tells the worker there is a batch.
	mu      sync.Mutex
	queue   []g711Packet
	queued  int // bytes in queue
	stopped bool
	wake    chan struct{}
	done    sync.WaitGroup
	drops   atomic.Int64 // G.711 packets dropped because the queue was full
	warned  atomic.Bool
	log     *slog.Logger
}

type g711Packet struct {
	pts  int64 // 8 kHz ticks
	data []byte
}

// pickAudio chooses the first audio track camshare can record: AAC passes
// through, G.711 is transcoded to AAC-LC. Anything else is left out (Opus,
// MP3, LPCM… are rare on IP cameras, and G.711 as LPCM does not play in
// Firefox); skipped names what was, for the caller's one warning.
func pickAudio(desc *description.Session, log *slog.Logger) (src *audioSource, skipped []string, err error) {
	for _, m := range desc.Medias {
		if m.Type != description.MediaTypeAudio || m.IsBackChannel {
			continue
		}
		for _, f := range m.Formats {
			switch f := f.(type) {
			case *format.MPEG4Audio:
				if f.Config == nil || f.Config.SampleRate == 0 {
					skipped = append(skipped, "AAC without configuration")
					continue
				}
				return &audioSource{media: m, forma: f, log: log, out: &audioOut{
					rate:  f.Config.SampleRate,
					codec: &fmp4.CodecMPEG4Audio{Config: *f.Config},
				}}, nil, nil
			case *format.G711:
				if f.ChannelCount > 1 || f.ClockRate() != 8000 {
					skipped = append(skipped, "G.711 that is not 8 kHz mono")
					continue
				}
				t, err := audio.NewG711Transcoder(f.MULaw)
				if err != nil {
					return nil, nil, err
				}
				a := &audioSource{media: m, forma: f, log: log, g711: t, wake: make(chan struct{}, 1)}
				a.out = &audioOut{rate: t.SampleRate(), codec: &fmp4.CodecMPEG4Audio{Config: t.Config()}, drops: &a.drops}
				return a, nil, nil
			default:
				skipped = append(skipped, f.Codec())
			}
		}
	}
	return nil, skipped, nil
}

// attach registers the RTP callback (after Setup) and starts the worker.
// RTP callbacks run on gortsplib's reader goroutine: they only unpack and
// queue. AAC units wait for room in units as video does (the cutter never
// waits on the network, so this is brief); G.711 waits in the worker's
// backlog, and only beyond it is dropped.
func (a *audioSource) attach(c *gortsplib.Client, units chan<- unit) error {
	switch f := a.forma.(type) {
	case *format.MPEG4Audio:
		dec, err := f.CreateDecoder()
		if err != nil {
			return err
		}
		c.OnPacketRTP(a.media, f, func(pkt *rtp.Packet) {
			pts, ok := c.PacketPTS2(a.media, pkt)
			if !ok {
				return
			}
			aus, err := dec.Decode(pkt)
			if err != nil {
				return
			}
			for i, au := range aus {
				units <- unit{audio: true, pts: pts + int64(i)*mpeg4audio.SamplesPerAccessUnit, data: au, dur: mpeg4audio.SamplesPerAccessUnit}
			}
		})
	case *format.G711:
		dec, err := f.CreateDecoder()
		if err != nil {
			return err
		}
		c.OnPacketRTP(a.media, f, func(pkt *rtp.Packet) {
			pts, ok := c.PacketPTS2(a.media, pkt)
			if !ok {
				return
			}
			samples, err := dec.Decode(pkt)
			if err != nil || len(samples) == 0 {
				return
			}
			a.enqueue(g711Packet{pts: pts, data: samples})
		})
		a.done.Add(1)
		go a.transcode(units)
	}
	return nil
}

// enqueue runs on the RTP reader: it only queues the packet (gortsplib
// allocates every payload afresh, so the bytes cross without a copy) and
// wakes the worker once a frame's worth is waiting.
func (a *audioSource) enqueue(p g711Packet) {
	a.mu.Lock()
	if a.queued+len(p.data) > g711Backlog {
		a.mu.Unlock()
		a.dropped()
		return
	}
	a.queue = append(a.queue, p)
	a.queued += len(p.data)
	ready := a.queued >= g711Batch
	a.mu.Unlock()
	if ready {
		select {
		case a.wake <- struct{}{}:
		default: // already signalled
		}
	}
}

// take hands the worker everything queued (and whether it should stop).
func (a *audioSource) take(spare []g711Packet) ([]g711Packet, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	batch := a.queue
	a.queue, a.queued = spare[:0], 0
	return batch, a.stopped
}

// transcode is the G.711 worker: it turns queued packets into AAC units
// until stopped, then flushes the encoder's tail.
func (a *audioSource) transcode(units chan<- unit) {
	defer a.done.Done()
	send := func(aus []audio.AU) {
		for _, au := range aus {
			units <- unit{audio: true, pts: au.PTS, data: au.Data, dur: mpeg4audio.SamplesPerAccessUnit}
		}
	}
	failed := false
	var spare []g711Packet
	for {
		<-a.wake
		batch, stop := a.take(spare)
		for _, p := range batch {
			if failed {
				break
			}
			aus, err := a.g711.Write(p.data, p.pts)
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
		if aus, err := a.g711.Flush(); err == nil {
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
