// Package live is the machine side of the near-live view: while someone
// has a share page open, the segment being recorded is cut into parts of
// about two seconds and uploaded as they complete, with a small rolling
// index the page polls, so the page plays the camera a few seconds behind
// through the bucket alone. Nobody watching costs one HEAD every Check.
//
// # Where parts come from
//
// The shipper reads the growing NAME.tmp. The recorder already writes it
// as crash-safe fragmented MP4, one moof+mdat fragment a second in one
// write each (record/internal/segment), so its complete fragments are
// exactly what a MediaSource SourceBuffer takes after the file's init
// (ftyp+moov). Reading the file needs no IPC between `camshare record`
// and `camshare ship` (separate processes, or phones where only the
// folder is shared), works the same inside `camshare run`, and the
// recorder can never wait on the network: it does not know parts exist.
// A part is byte for byte closedSegment[Off:End] (close only patches
// durations in the moov), so a page that missed parts continues from the
// closed segment once it ships. Before the shipper moves a closed segment
// it calls BeforeShip, which cuts the segment's tail from the local file.
//
// # The seam
//
// Cutting (local reads only) and uploading are split by a bounded queue
// that drops the oldest part when full: parts are best-effort, segments
// are the record. The uploader is its own goroutine and never holds a
// shipper slot; while Options.Yield says so (a segment upload in flight
// with --bwlimit, or the remote failing) parts wait and the oldest drop.
//
// # Remote objects (internal/layout)
//
//	FOLDER/CAMERA/live/index.json     the index (index.sealed when encrypted)
//	FOLDER/CAMERA/live/watch          the heartbeat pages write
//	FOLDER/CAMERA/live/STEM/init.mp4  a segment's init
//	FOLDER/CAMERA/live/STEM/NNNNNN.m4s its parts
//
// live/ is no date folder, and parts end in .m4s: no segment listing takes
// them for footage. A segment's parts are deleted once it has shipped;
// Run sweeps leftovers at start, and prune sweeps them too.
//
// # Only while watched
//
// The index carries a presigned PUT link (S3 V4, signed locally, re-signed
// after a third of its 7-day lifetime) to live/watch. A page writes a
// different small body there every Heartbeat (10 s) and an empty one when
// it closes or is hidden. Every Check (5 s) camshare HEADs it: a change
// since the last look means someone is there, and parts flow until no
// change was seen for two heartbeat periods (or the body is empty). This
// needs no clock agreement between phone, bucket and camera.
//
// # Encryption
//
// With an archive key, the init, parts and index are sealed like segments
// (internal/seal) under the live key, derived from the archive key
// (LiveKey): a link that can watch live holds the live key, never the
// archive key. Once a watched segment ships, the index carries its file
// key so the page can finish it from the closed segment.
package live
