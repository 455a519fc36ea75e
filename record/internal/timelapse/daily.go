package timelapse

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/bluenviron/mediacommon/v2/pkg/formats/fmp4"
)

// Daily is the timelapse of one day being written while recording: a
// fragmented MP4 temp file with one fragment (moof+mdat) per picture, each
// written in one call as it comes, so a killed process keeps every picture
// before the one it was writing. Reopening the file continues it after its
// last complete fragment (a torn tail is cut off). Close turns it into the
// closed file through Write's path (durations in the moov, hvc1 for Apple).
//
// A picture a minute is one small write a minute; nothing else of the
// stream is touched.
type Daily struct {
	f      *os.File
	path   string
	h265   bool
	frames int   // complete fragments in the file
	size   int64 // bytes of complete boxes
	buf    []byte
}

// The temp file's one track.
const dailyTrack = 1

// OpenDaily continues the temp file at path, or creates it with an init
// made from first's parameter sets (a key frame as camshare records it).
func OpenDaily(path string, first []byte, h265 bool) (*Daily, error) {
	if d, err := reopenDaily(path, h265); err == nil {
		return d, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		// A file with no usable init holds no picture: start it afresh.
		if err := os.Remove(path); err != nil {
			return nil, err
		}
	}
	codec, err := codecOf(first, h265)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	init := fmp4.Init{Tracks: []*fmp4.InitTrack{{ID: dailyTrack, TimeScale: clock, Codec: codec}}}
	if err := init.Marshal(f); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("timelapse: write init: %w", err)
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &Daily{f: f, path: path, h265: h265, size: size}, nil
}

// reopenDaily opens an existing temp file and cuts it after its last
// complete fragment.
func reopenDaily(path string, h265 bool) (*Daily, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	frames, end, err := scanDaily(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Truncate(end); err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Seek(end, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return &Daily{f: f, path: path, h265: h265, frames: len(frames), size: end}, nil
}

// Frames is how many pictures the file holds.
func (d *Daily) Frames() int { return d.frames }

// Add appends one picture (a key frame's sample: length-prefixed NAL units).
func (d *Daily) Add(payload []byte) error {
	d.buf = appendPicture(d.buf[:0], uint32(d.frames+1), uint64(d.frames*tick), payload)
	if _, err := d.f.Write(d.buf); err != nil {
		// Leave the file as it was: the next start would cut it anyway.
		if terr := d.f.Truncate(d.size); terr == nil {
			d.f.Seek(d.size, io.SeekStart)
		}
		return fmt.Errorf("timelapse: %w", err)
	}
	d.size += int64(len(d.buf))
	d.frames++
	return nil
}

// Leave closes the temp file as it is (the recorder stops; the next start
// continues it).
func (d *Daily) Leave() error { return d.f.Close() }

// Close writes the closed timelapse at final (complete or not there: Write
// renames a finished temp file into place) and removes the temp file.
func (d *Daily) Close(final string) error {
	d.f.Close()
	return CloseDaily(d.path, final)
}

// CloseDaily turns a day's temp file (one left by a stopped or killed
// recorder) into its closed file at final, and removes it.
func CloseDaily(tmp, final string) error {
	f, err := os.Open(tmp)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := f.ReadAt(head, 0)
	h265 := bytes.Contains(head[:n], []byte("hvc1")) || bytes.Contains(head[:n], []byte("hev1"))
	frames, _, err := scanDaily(f)
	if err != nil || len(frames) == 0 {
		f.Close()
		os.Remove(tmp)
		if err == nil {
			err = errors.New("no picture in it")
		}
		return fmt.Errorf("timelapse: %s removed: %w", tmp, err)
	}
	st, _ := f.Stat()
	r := &Result{H265: h265}
	for _, fr := range frames {
		b := make([]byte, fr.size)
		if _, err := f.ReadAt(b, fr.offset); err != nil {
			return fmt.Errorf("timelapse: read %s: %w", tmp, err)
		}
		r.Frames = append(r.Frames, Frame{At: st.ModTime(), Payload: b})
	}
	if err := Write(final, r); err != nil {
		return err
	}
	f.Close()
	return os.Remove(tmp)
}

// scanDaily lists the pictures of a temp file: ftyp and moov, then
// moof+mdat pairs; it stops at the first incomplete or foreign box and
// returns where the complete ones end.
func scanDaily(r io.ReaderAt) (frames []sample, end int64, err error) {
	var head [16]byte
	off := int64(0)
	sawMoov := false
	for {
		typ, size, ok := boxAt(r, off, head[:])
		if !ok {
			break
		}
		if !sawMoov {
			if typ == "moov" {
				sawMoov = true
			} else if typ != "ftyp" {
				break
			}
			off += size
			end = off
			continue
		}
		if typ != "moof" || size > 1<<16 {
			break
		}
		moof := make([]byte, size)
		if _, err := r.ReadAt(moof, off); err != nil {
			break
		}
		mtyp, msize, ok := boxAt(r, off+size, head[:])
		if !ok || mtyp != "mdat" {
			break
		}
		s, err := fragment(moof[8:], off, track{id: dailyTrack})
		if err != nil || len(s) != 1 || s[0].offset < off+size+8 || s[0].offset+int64(s[0].size) > off+size+msize {
			break
		}
		frames = append(frames, s[0])
		off += size + msize
		end = off
	}
	if !sawMoov {
		return nil, 0, errors.New("timelapse: temp file without an init")
	}
	return frames, end, nil
}

// boxAt reads the box header at off; ok is false unless the whole box is
// in r (its last byte readable).
func boxAt(r io.ReaderAt, off int64, head []byte) (string, int64, bool) {
	if _, err := r.ReadAt(head[:8], off); err != nil {
		return "", 0, false
	}
	size := int64(binary.BigEndian.Uint32(head))
	if size == 1 {
		if _, err := r.ReadAt(head[8:16], off+8); err != nil {
			return "", 0, false
		}
		size = int64(binary.BigEndian.Uint64(head[8:]))
	}
	if size < 8 {
		return "", 0, false
	}
	var last [1]byte
	if _, err := r.ReadAt(last[:], off+size-1); err != nil {
		return "", 0, false
	}
	return string(head[4:8]), size, true
}

// appendPicture appends one fragment of one sync sample (ISO/IEC 14496-12:
// moof with mfhd and a traf of tfhd, tfdt, trun; then the mdat).
func appendPicture(b []byte, seq uint32, dts uint64, payload []byte) []byte {
	const (
		tfhdSize = 16
		tfdtSize = 20
		trunLen  = 8 + 4 + 4 + 4 + 12
		trafSize = 8 + tfhdSize + tfdtSize + trunLen
		moofSize = 8 + 16 + trafSize
	)
	be := binary.BigEndian
	b = be.AppendUint32(b, moofSize)
	b = append(b, "moof"...)
	b = be.AppendUint32(b, 16)
	b = append(b, "mfhd"...)
	b = be.AppendUint32(b, 0)
	b = be.AppendUint32(b, seq)
	b = be.AppendUint32(b, trafSize)
	b = append(b, "traf"...)
	b = be.AppendUint32(b, tfhdSize)
	b = append(b, "tfhd"...)
	b = be.AppendUint32(b, 0x020000) // default-base-is-moof
	b = be.AppendUint32(b, dailyTrack)
	b = be.AppendUint32(b, tfdtSize)
	b = append(b, "tfdt"...)
	b = be.AppendUint32(b, 1<<24) // version 1: 64-bit time
	b = be.AppendUint64(b, dts)
	b = be.AppendUint32(b, trunLen)
	b = append(b, "trun"...)
	b = be.AppendUint32(b, trunDataOffset|trunDuration|trunSize|trunFlags)
	b = be.AppendUint32(b, 1)
	b = be.AppendUint32(b, moofSize+8) // the payload, right after the mdat header
	b = be.AppendUint32(b, tick)
	b = be.AppendUint32(b, uint32(len(payload)))
	b = be.AppendUint32(b, 0x02000000) // depends on no other sample: a sync sample
	b = be.AppendUint32(b, uint32(8+len(payload)))
	b = append(b, "mdat"...)
	return append(b, payload...)
}
