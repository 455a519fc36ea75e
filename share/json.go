package share

import (
	"bytes"
	"encoding/json"
	"time"
)

// linkJSON is a Link as scripts read it (--json and share.json): RFC 3339
// times in the camera's zone (from the name).
type linkJSON struct {
	Start   string  `json:"start"`
	End     *string `json:"end"` // null: unknown (a lone segment)
	Path    string  `json:"path"`
	Size    int64   `json:"size"`
	URL     string  `json:"url"`
	Expires *string `json:"expires"`            // null: the link does not expire (or the backend won't say)
	Key     string  `json:"file_key,omitempty"` // encrypted archive: in share.json, which is sealed
	// Activity: active seconds per 10 s from the segment's sidecar; absent
	// when unknown. Cold: a restore is needed before it plays.
	Activity []int `json:"activity_per_10s,omitempty"`
	Cold     bool  `json:"cold,omitempty"`
}

// MarshalJSON writes a Link without HTML escaping: a URL keeps its & (not \u0026).
func (l Link) MarshalJSON() ([]byte, error) {
	j := linkJSON{Start: l.Start.Format(time.RFC3339), Path: l.Path, Size: l.Size, URL: l.URL, Key: l.FileKey,
		Activity: l.Activity, Cold: l.Cold}
	if !l.End.IsZero() {
		end := l.End.Format(time.RFC3339)
		j.End = &end
	}
	if !l.Expires.IsZero() {
		exp := l.Expires.Format(time.RFC3339)
		j.Expires = &exp
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(j); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// UnmarshalJSON reads a Link back (a refresh reuses links still valid).
func (l *Link) UnmarshalJSON(b []byte) error {
	var j linkJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	parse := func(s *string) time.Time {
		if s == nil {
			return time.Time{}
		}
		t, _ := time.Parse(time.RFC3339, *s)
		return t
	}
	*l = Link{Start: parse(&j.Start), End: parse(j.End), Path: j.Path, Size: j.Size, URL: j.URL, Expires: parse(j.Expires), FileKey: j.Key,
		Activity: j.Activity, Cold: j.Cold}
	return nil
}
