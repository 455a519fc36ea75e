// Package share turns what ship uploaded into things family can open on a
// phone: one public link per segment, and a self-contained page that plays
// the selection back to back in one <video> and follows new segments live.
//
// Segments are selected by time through archive (only the folders a range
// needs are listed) and their names are read through layout. Links come from
// rclone's PublicLink, so what a link is depends on the backend:
//
//	backend                        links                      the page
//	S3-compatible (AWS, R2, Wasabi, presigned URL, ≤ 7 days   renders (text/html from the
//	  MinIO, B2's S3 API, …)                                  .html extension) and plays
//	b2 (native API)                ignore --expire            renders and plays
//	drive, dropbox, onedrive,      provider's viewer page;    shown as a download or a
//	  pcloud, mega, box, koofr     most ignore --expire       preview: it can't play
//	local                          none                       relative links, open from disk
//	sftp, webdav, ftp, smb,        none                       —
//	  azureblob, gcs, swift
//	crypt (over anything)          refused: ciphertext        —
//
// # Live page
//
// The page embeds the selection as it was when written, so it works even if
// nothing else can be fetched. While the selection is open (a rolling
// Window, or no To) it re-reads a small index beside it every Poll and moves
// on to new segments; ship --update-page calls RefreshIndex after each
// upload, which keeps the selection and link settings stored in the index and
// only asks for links of new segments.
//
// On S3 the index's presigned URL is fixed in the page when it is written and
// stays valid while the object behind it changes; a presigned URL can't take
// a cache-busting parameter (the signature covers the query), so the page
// fetches it with cache: "no-store", and the index is uploaded with
// Cache-Control: no-cache. A live S3 page therefore lives as long as that URL:
// at most 7 days, then the page says its link expired. Opened from disk
// (file://, the demo), Chromium blocks fetch, so the page re-inserts
// <script src="index.js?t=…"> instead, a copy of the index that sets
// window.camshareIndex.
package share
