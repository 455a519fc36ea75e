// Package redact keeps credentials out of logs and errors. It works by
// structure, not by searching for a secret's text: the password of a URL's
// userinfo (whatever characters it holds: ?, #, /, @ and : included) and the
// value of every key that names a credential (pass=, secret_access_key=,
// ?token=, …) become "xxxxx". A plain search-and-replace of the secret would
// both miss it (a URL that does not parse) and give it away (with the
// password "pass", "password" would read "xxxxxword").
//
// Secrets is the last resort for text with no structure: it replaces a known
// secret only where that cannot cut a word in two.
package redact

import (
	"errors"
	"net/url"
	"slices"
	"strings"
)

// Mask replaces every credential.
const Mask = "xxxxx"

// URL returns the URL u with its password, and query values whose keys name
// credentials, replaced by Mask. The user name stays: it helps tell cameras
// apart and is not a secret on its own. u need not parse: a password with a
// stray character is exactly what makes url.Parse fail.
func URL(u string) string {
	spans := keySpans(u)
	if sep := strings.Index(u, "://"); sep >= 0 {
		spans = append(spans, userinfoSpans(u, sep, lastAt)...)
	}
	return mask(u, spans)
}

// Text scrubs every URL's password and every credential key=value in free
// text (a log line, an error message from a library). Both scans run on the
// original text and everything either finds is masked, so a password that
// looks like a key=value, or a connection-string value that looks like a
// URL, is masked whole either way.
func Text(s string) string {
	spans := keySpans(s)
	for from := 0; ; {
		i := strings.Index(s[from:], "://")
		if i < 0 {
			break
		}
		sep := from + i
		end := tokenEnd(s, sep)
		spans = append(spans, userinfoSpans(s[:end], sep, lastHostAt)...)
		from = sep + 3
	}
	return mask(s, spans)
}

// tokenEnd: a URL in free text ends at the first white space.
func tokenEnd(s string, from int) int {
	if j := strings.IndexAny(s[from:], " \t\r\n"); j >= 0 {
		return from + j
	}
	return len(s)
}

// span is a masked range [start, end) of the original text.
type span struct{ start, end int }

// userinfoSpans is the password of the URL whose "://" is at sep in u (u
// ends where the URL may end). findAt picks the '@' that ends the userinfo.
func userinfoSpans(u string, sep int, findAt func(string) int) []span {
	rest := u[sep+3:]
	at := findAt(rest)
	if at < 0 {
		return nil
	}
	colon := strings.IndexByte(rest[:at], ':')
	if colon < 0 {
		return nil // user@host: no password
	}
	return []span{{sep + 3 + colon + 1, sep + 3 + at}}
}

// mask replaces the union of spans with one Mask per run.
func mask(s string, spans []span) string {
	if len(spans) == 0 {
		return s
	}
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	var b strings.Builder
	pos := 0
	for i := 0; i < len(spans); {
		start, end := spans[i].start, spans[i].end
		for i++; i < len(spans) && spans[i].start <= end; i++ {
			end = max(end, spans[i].end)
		}
		if start < pos {
			start = pos
		}
		b.WriteString(s[pos:start])
		b.WriteString(Mask)
		pos = end
	}
	b.WriteString(s[pos:])
	return b.String()
}

// lastAt: for a string known to be one URL, the userinfo ends at its last
// '@' (the host cannot hold one; a path that does only means more is
// masked).
func lastAt(rest string) int { return strings.LastIndexByte(rest, '@') }

// lastHostAt: in free text a later word may hold an '@' too (an e-mail
// address); take the last '@' followed by something that looks like a host.
func lastHostAt(rest string) int {
	for at := strings.LastIndexByte(rest, '@'); at >= 0; at = strings.LastIndexByte(rest[:at], '@') {
		if looksLikeHost(rest[at+1:]) {
			return at
		}
	}
	return -1
}

// looksLikeHost: a host name, IPv4 or [IPv6] and optional port, then the
// end or the start of a path, query or fragment (or a quote or comma that
// closes the surrounding text).
func looksLikeHost(s string) bool {
	n := 0
	for n < len(s) && isHostByte(s[n]) {
		n++
	}
	if n == 0 {
		return false
	}
	return n == len(s) || strings.IndexByte("/?#\"',;)]>", s[n]) >= 0
}

func isHostByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c == '_' || c == '%'
}

// Error wraps err so its message is scrubbed (Text, then Secrets with the
// known secrets); errors.Is/As still see the original.
func Error(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	msg := Secrets(Text(err.Error()), secrets...)
	if msg == err.Error() {
		return err
	}
	return &redacted{msg: msg, err: err}
}

type redacted struct {
	msg string
	err error
}

func (r *redacted) Error() string { return r.msg }
func (r *redacted) Unwrap() error { return r.err }

var _ = errors.Unwrap

// minSecret: shorter secrets are not searched for in free text. Masking
// every "a" or "123" in a message garbles it; the structural scrub still
// masks them where they belong to a URL or a key.
const minSecret = 4

// Secrets is the last-resort scrub of text with no structure: each known
// secret (also URL-escaped) is replaced by Mask, except where that would cut
// a word: a secret made of letters only is replaced only where it is a whole
// word, so the password "pass" leaves "password" alone.
func Secrets(text string, secrets ...string) string {
	for _, s := range secrets {
		if len(s) < minSecret {
			continue
		}
		for _, form := range []string{s, url.QueryEscape(s), url.PathEscape(s)} {
			text = replaceWhole(text, form)
		}
	}
	return text
}

func replaceWhole(text, secret string) string {
	lettersOnly := isLetters(secret)
	var b strings.Builder
	for {
		i := strings.Index(text, secret)
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		end := i + len(secret)
		inWord := lettersOnly && (i > 0 && isLetter(text[i-1]) || end < len(text) && isLetter(text[end]))
		b.WriteString(text[:i])
		if inWord {
			b.WriteString(secret)
		} else {
			b.WriteString(Mask)
		}
		text = text[end:]
	}
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isLetter(s[i]) {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 }
