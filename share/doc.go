// Package share turns what ship uploaded into things family can open on a
// phone: one public link per segment (Links), or a page of its own per
// share (Publish) that starts at the newest footage and follows new
// segments live.
//
// # One way through
//
// Publish calls the steps in order, each in its own file:
//
//	select.go   select footage (archive, through layout); empty is an error
//	links.go    link each segment (backend.go: every backend rule)
//	index.go    build the index: latest.json and one document per day
//	upload.go   upload the index (documents need to exist to be linked)
//	render.go   render the page around latest.json's link
//	upload.go   upload the page, link it
//
// # One folder per share
//
// Each share is share/ID/ below the archive root, ID 128 random bits: its
// page, its index and share.json (its selection and links). A new share
// never touches an old one; List and Revoke work on these folders. Keeper
// (keeper.go) holds the live rules ship and run share: after each upload
// it merges the segment into every live share's index, at start and every
// hour it lists each selection again (so indexes converge on the remote),
// and for run it keeps one page of its own, renewed before its link expires.
//
// # What the page fetches
//
// latest.json (a few KB: the newest segments, the days, expiry) every poll,
// with no-cache, so an unchanged one is a 304; a day's document only when
// the viewer opens that day; nothing while the tab is hidden. On S3 the
// page and documents are presigned (at most 7 days: the page says until
// when it works, and after that a sentence; a reload of an expired link
// shows the server's own error, which no page can change). Opened from
// disk (file://, the demo) fetch is refused, so documents also exist as
// scripts calling camshareDoc().
//
//	backend                        links                      --page
//	S3-compatible (AWS, R2, Wasabi, presigned URL, ≤ 7 days   renders and plays
//	  MinIO, B2's S3 API, …)
//	b2 (native API)                ignore --expire            renders and plays
//	drive, dropbox, onedrive,      provider's viewer page;    refused, with what works
//	  pcloud, mega, box, koofr     most ignore --expire
//	local                          none                       relative links, open from disk
//	sftp, webdav, ftp, smb,        none                       —
//	  azureblob, gcs, swift
//	crypt (over anything)          none: Unlinkable lists the recordings and says why, and what to use instead (encrypt: true)
//
// # Encrypted archives
//
// With Options.Seal (the archive key; encrypt: true) a share is sealed
// (seal.go): page code only in index.html, the index sealed with the
// share's own link key (in the link's #k=…), the record sealed with the
// archive key, footage linked relatively and read unsigned (public-read
// ciphertext), so the link lasts until --revoke. Only S3-compatible
// stores and local folders can serve such a page (SealedPageError
// otherwise). Opened from disk, footage is also copied as scripts
// (scriptcopy.go).
package share
