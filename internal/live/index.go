package live

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"io"
	"time"

	"github.com/camshare/camshare/internal/keys"
	"github.com/camshare/camshare/internal/seal"
)

// Index is the rolling live index the page polls (live/index.json, or
// live/index.sealed when the archive is encrypted). Paths are relative to
// the index's own folder, so a page resolves them with new URL(path,
// indexURL); URL, where set, is a signed link to the same object (S3).
type Index struct {
	Version        int       `json:"v"`
	Camera         string    `json:"camera,omitempty"`
	Updated        time.Time `json:"updated"`
	Watched        bool      `json:"watched"`             // camshare sees a fresh heartbeat and is uploading parts
	Heartbeat      string    `json:"heartbeat,omitempty"` // signed PUT link the page writes its heartbeat to
	HeartbeatEvery float64   `json:"heartbeatEvery"`      // seconds between heartbeats
	Poll           float64   `json:"poll"`                // seconds between index fetches while watching
	Segments       []Segment `json:"segments"`            // oldest first
}

// Segment is one recorded segment with parts in the index.
type Segment struct {
	Name    string    `json:"name"`
	Start   time.Time `json:"start"` // wall time of media time 0 (to the millisecond when seen being created, else the name's second)
	Mime    string    `json:"mime"`  // for MediaSource.addSourceBuffer
	Init    Ref       `json:"init"`  // ftyp+moov, appended before the first part
	Parts   []Part    `json:"parts"`
	Size    int64     `json:"size,omitempty"`    // once closed: the file's size, where its last part ends
	Closed  *Ref      `json:"closed,omitempty"`  // the closed segment, once shipped: the rest of it is there
	FileKey string    `json:"fileKey,omitempty"` // encrypted archive: the closed segment's file key (base64url)
}

// Ref is an object of the remote.
type Ref struct {
	Path string `json:"path"`
	URL  string `json:"url,omitempty"`
}

// Part is a run of whole fragments of a segment: appendable to a
// SourceBuffer after the segment's init, and byte for byte
// closedSegment[Off:End].
type Part struct {
	Ref
	Seq  int     `json:"seq"`
	T    float64 `json:"t"` // media time of its first sample, seconds
	D    float64 `json:"d"` // its duration, seconds
	Off  int64   `json:"off"`
	End  int64   `json:"end"`
	Key  bool    `json:"key"`            // starts with a sync sample: a page may start here
	Last bool    `json:"last,omitempty"` // the segment's tail: no part follows
}

// liveKey is what parts and the live index are sealed with: derived from
// the archive key, so a link that can watch live never holds the archive
// key (which would open every recording ever made).
func liveKey(a *keys.Archive) seal.Key {
	h := sha256.New()
	h.Write([]byte("camshare live key v1"))
	h.Write(a.Key[:])
	var k seal.Key
	copy(k[:], h.Sum(nil))
	return k
}

// LiveKey is the key a page needs to watch an encrypted archive live.
func LiveKey(a *keys.Archive) string { return keys.Encode(liveKey(a)) }

// encode is b as it is uploaded: sealed under the live key, or as it is.
func encode(b []byte, a *keys.Archive) ([]byte, error) {
	if a == nil {
		return b, nil
	}
	r, err := seal.Encrypt(bytes.NewReader(b), liveKey(a), seal.Options{})
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

func marshalIndex(ix *Index, a *keys.Archive) ([]byte, error) {
	b, err := json.Marshal(ix)
	if err != nil {
		return nil, err
	}
	return encode(b, a)
}
