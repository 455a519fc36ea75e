package redact

import "strings"

// Line is the one way an error becomes text for a person: credentials out
// (by structure), and on one line, for "camshare: …", log lines and status.
func Line(err error) string {
	if err == nil {
		return ""
	}
	return strings.Join(strings.Fields(Error(err).Error()), " ")
}
