package segment

import (
	"encoding/binary"

	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"
)

// ISO-BMFF flag values used in fragments (mediacommon writes the same ones).
const (
	tfhdDefaultBaseIsMoof = 0x020000
	trunDataOffset        = 0x000001
	trunSampleDuration    = 0x000100
	trunSampleSize        = 0x000200
	trunSampleFlags       = 0x000400
	trunSampleCTS         = 0x000800
	sampleNonSync         = 0x00010000
)

// sample is a queued sample. Its payload is either Payload, as the caller
// made it, or nalus: NAL units that get their 4-byte length prefixes (AVCC,
// ISO/IEC 14496-15) only as the fragment is built, so a frame is copied
// once, from the camera's packets into the fragment, with no per-frame
// buffer in between.
type sample struct {
	fmp4.Sample
	nalus [][]byte
}

// size is the payload's length in the mdat.
func (s *sample) size() int {
	if s.nalus == nil {
		return len(s.Payload)
	}
	n := 0
	for _, u := range s.nalus {
		n += 4 + len(u)
	}
	return n
}

// appendPayload appends the payload as the mdat holds it.
func (s *sample) appendPayload(buf []byte) []byte {
	if s.nalus == nil {
		return append(buf, s.Payload...)
	}
	for _, u := range s.nalus {
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(u)))
		buf = append(buf, u...)
	}
	return buf
}

// run is one track's share of a fragment.
type run struct {
	id       uint32
	base     uint64 // tfdt: media time of the first sample
	samples  []sample
	flags    uint32 // trun flags
	perEntry int    // bytes per trun entry
}

func newRun(id uint32, base uint64, samples []sample) run {
	r := run{id: id, base: base, samples: samples,
		flags: trunDataOffset | trunSampleDuration | trunSampleSize, perEntry: 8}
	var nonSync, cts bool
	for i := range samples {
		nonSync = nonSync || samples[i].IsNonSyncSample
		cts = cts || samples[i].PTSOffset != 0
	}
	if nonSync {
		r.flags |= trunSampleFlags
		r.perEntry += 4
	}
	if cts {
		r.flags |= trunSampleCTS
		r.perEntry += 4
	}
	return r
}

func (r *run) trunSize() int { return 8 + 4 + 4 + 4 + len(r.samples)*r.perEntry }

// trafSize: traf header + tfhd (16) + tfdt v1 (20) + trun.
func (r *run) trafSize() int { return 8 + 16 + 20 + r.trunSize() }

// appendFragment appends one moof+mdat holding runs to buf, so a fragment
// is built in one reused buffer and reaches the disk in one write(2).
func appendFragment(buf []byte, seq uint32, runs []run) []byte {
	moofSize := 8 + 16
	mdatSize := 8
	for i := range runs {
		moofSize += runs[i].trafSize()
		for j := range runs[i].samples {
			mdatSize += runs[i].samples[j].size()
		}
	}
	be := binary.BigEndian
	buf = be.AppendUint32(buf, uint32(moofSize))
	buf = append(buf, "moof"...)
	buf = be.AppendUint32(buf, 16)
	buf = append(buf, "mfhd"...)
	buf = be.AppendUint32(buf, 0)
	buf = be.AppendUint32(buf, seq)

	// data_offset counts from the moof start (default-base-is-moof).
	dataOffset := moofSize + 8
	for i := range runs {
		r := &runs[i]
		buf = be.AppendUint32(buf, uint32(r.trafSize()))
		buf = append(buf, "traf"...)
		buf = be.AppendUint32(buf, 16)
		buf = append(buf, "tfhd"...)
		buf = be.AppendUint32(buf, tfhdDefaultBaseIsMoof)
		buf = be.AppendUint32(buf, r.id)
		buf = be.AppendUint32(buf, 20)
		buf = append(buf, "tfdt"...)
		buf = be.AppendUint32(buf, 1<<24) // version 1: 64-bit time
		buf = be.AppendUint64(buf, r.base)
		buf = be.AppendUint32(buf, uint32(r.trunSize()))
		buf = append(buf, "trun"...)
		buf = be.AppendUint32(buf, 1<<24|r.flags) // version 1: signed CTS offsets
		buf = be.AppendUint32(buf, uint32(len(r.samples)))
		buf = be.AppendUint32(buf, uint32(dataOffset))
		for j := range r.samples {
			s := &r.samples[j]
			buf = be.AppendUint32(buf, s.Duration)
			size := s.size()
			buf = be.AppendUint32(buf, uint32(size))
			if r.flags&trunSampleFlags != 0 {
				var f uint32
				if s.IsNonSyncSample {
					f = sampleNonSync
				}
				buf = be.AppendUint32(buf, f)
			}
			if r.flags&trunSampleCTS != 0 {
				buf = be.AppendUint32(buf, uint32(s.PTSOffset))
			}
			dataOffset += size
		}
	}
	buf = be.AppendUint32(buf, uint32(mdatSize))
	buf = append(buf, "mdat"...)
	for i := range runs {
		for j := range runs[i].samples {
			buf = runs[i].samples[j].appendPayload(buf)
		}
	}
	return buf
}
