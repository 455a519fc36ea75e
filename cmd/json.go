package cmd

import (
	"encoding/json"
	"io"
)

// writeJSON is the one way commands print --json: indented for people
// reading it, and without HTML escaping, so links keep their '&' instead
// of "\u0026" (scripts paste them into browsers and chats).
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
