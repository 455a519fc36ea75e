package ship

import (
	"os"
	"path/filepath"
	"sort"

	"github.com/camshare/camshare/internal/units"
)

// enforceCap deletes the oldest waiting segments, across all cameras, while
// the queue holds more than MaxLocal bytes or a folder's disk has less than
// MinFree free: during a long outage the phone must keep recording the
// present rather than fill up with the past. A segment in the middle of an
// upload attempt is marked instead and deleted if that attempt fails. Each
// deletion is a warning and counted in Stats.Dropped.
func (s *Shipper) enforceCap() {
	if s.o.MaxLocal <= 0 && s.o.MinFree <= 0 {
		return
	}
	type cand struct {
		src *source
		it  item
	}
	var all []cand
	var total int64
	for _, src := range s.sources {
		for _, it := range src.q.snapshot() {
			all = append(all, cand{src, it})
			total += it.size
		}
	}
	sort.Slice(all, func(i, j int) bool { return before(&all[i].it, &all[j].it) })
	for _, c := range all {
		over := s.o.MaxLocal > 0 && total > s.o.MaxLocal
		if !over && !(s.o.MinFree > 0 && s.lowOnDisk()) {
			return
		}
		reason := "--max-local " + units.FormatSize(s.o.MaxLocal)
		if !over {
			reason = "--min-free " + units.FormatSize(s.o.MinFree)
		}
		total -= c.it.size
		if c.src.q.take(c.it.name, reason) {
			s.drop(c.src, c.it.name, c.it.size, reason)
		}
		// else: being uploaded; the worker drops it if the attempt fails.
		// Until then a --min-free check may go on to the next one.
	}
}

// drop deletes a segment that will not be shipped.
func (s *Shipper) drop(src *source, name string, size int64, reason string) {
	path := filepath.Join(src.Dir, name)
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		s.log.Error("cannot delete segment to free space", "file", path, "err", err)
		return
	}
	s.count(func(st *Stats) { st.Dropped++ })
	s.log.Warn("deleted an unshipped segment to stay within "+reason, "camera", src.Name, "file", path, "bytes", size)
}

// lowOnDisk: some camera folder's file system has less than MinFree free.
func (s *Shipper) lowOnDisk() bool {
	for _, src := range s.sources {
		if free, ok := freeBytes(src.Dir); ok && free < s.o.MinFree {
			return true
		}
	}
	return false
}
