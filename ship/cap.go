package ship

import (
	"os"
	"path/filepath"
	"sort"

	"github.com/camshare/camshare/internal/units"
)

// The local cap (--max-local, --min-free) is for footage that cannot leave.
// A camera's segments are deleted unshipped only while its remote is failing
// (its last attempt failed): then the oldest go first, across cameras, so the
// phone keeps recording the present rather than fill up with the past. While
// the remote takes uploads nothing is deleted to meet the cap (shipping
// frees the disk by itself), unless the disk is about to be too full to
// record the next segment, which happens when the remote is slower than the
// camera: then the oldest that cannot leave in time go. Before the first
// attempt nothing is known, and nothing is deleted.
//
// A segment in the middle of an upload attempt is marked instead and deleted
// if that attempt fails. Each deletion is a warning, counted in
// Stats.Dropped with the reason in Stats.DropReason.
func (s *Shipper) enforceCap() {
	if s.o.MaxLocal <= 0 && s.o.MinFree <= 0 {
		return
	}
	all, total := s.waiting()
	for _, c := range all {
		reason, over := s.overCap(c.src, total)
		if !over {
			continue
		}
		total -= c.it.size
		// Marked first so a rescan between take and the delete cannot
		// queue it again.
		c.src.markBad(c.it.name)
		if c.src.q.take(c.it.name, reason) {
			s.drop(c.src, c.it.name, c.it.size, reason)
		}
		// else: being uploaded; the worker drops it if the attempt fails.
	}
}

type candidate struct {
	src *source
	it  item
}

// waiting is every queued segment of every camera, oldest first, and their
// total size.
func (s *Shipper) waiting() ([]candidate, int64) {
	var all []candidate
	var total int64
	for _, src := range s.sources {
		for _, it := range src.q.snapshot() {
			all = append(all, candidate{src, it})
			total += it.size
		}
	}
	sort.Slice(all, func(i, j int) bool { return before(&all[i].it, &all[j].it) })
	return all, total
}

// overCap says whether one more of src's segments must go, and why, with
// total bytes still waiting across cameras.
func (s *Shipper) overCap(src *source, total int64) (reason string, over bool) {
	if !src.down() {
		if floor := 2 * src.q.largest(); lowOnDisk(src.Dir, floor) {
			return "room to record (the remote is slower than the camera)", true
		}
		return "", false
	}
	if s.o.MaxLocal > 0 && total > s.o.MaxLocal {
		return "--max-local " + units.FormatSize(s.o.MaxLocal), true
	}
	if s.o.MinFree > 0 && lowOnDisk(src.Dir, s.o.MinFree) {
		return "--min-free " + units.FormatSize(s.o.MinFree), true
	}
	return "", false
}

// drop deletes a segment that will not be shipped.
func (s *Shipper) drop(src *source, name string, size int64, reason string) {
	path := filepath.Join(src.Dir, name)
	if err := os.Remove(path); err != nil {
		if !os.IsNotExist(err) { // else someone else deleted it: not ours to count
			s.log.Error("cannot delete segment to free space", "file", path, "err", err)
		}
		return
	}
	os.Remove(filepath.Join(src.Dir, s.scheme.Sidecar(name))) // its metadata goes with it (none is fine)
	s.count(func(st *Stats) { st.Dropped++; st.DropReason = reason })
	s.log.Warn("deleted an unshipped segment to stay within "+reason, "camera", src.Name, "file", path, "bytes", size)
}

// lowOnDisk: the file system of dir has less than want bytes free.
func lowOnDisk(dir string, want int64) bool {
	free, ok := freeBytes(dir)
	return ok && free < want
}
