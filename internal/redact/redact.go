// Package redact keeps credentials out of logs and errors. Every URL or
// error that may carry a camera's user:password passes through here before
// it is printed.
package redact

import (
	"errors"
	"net/url"
	"strings"
)

// URL returns u with its password replaced by "xxxxx" (the user name stays:
// it helps tell cameras apart and is not a secret on its own).
func URL(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.User == nil {
		return scrubUserinfo(u)
	}
	if _, has := p.User.Password(); has {
		p.User = url.UserPassword(p.User.Username(), "xxxxx")
	}
	return p.String()
}

// scrubUserinfo handles strings url.Parse rejects (a password with a stray
// character is exactly what makes them fail): anything between "://" and the
// last "@" before the host is dropped.
func scrubUserinfo(s string) string {
	i := strings.Index(s, "://")
	if i < 0 {
		return s
	}
	rest := s[i+3:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndex(rest[:end], "@")
	if at < 0 {
		return s
	}
	return s[:i+3] + "xxxxx@" + rest[at+1:]
}

// Secrets returns text with each non-empty secret replaced by "xxxxx".
func Secrets(text string, secrets ...string) string {
	for _, s := range secrets {
		if s != "" {
			text = strings.ReplaceAll(text, s, "xxxxx")
			if esc := url.QueryEscape(s); esc != s {
				text = strings.ReplaceAll(text, esc, "xxxxx")
			}
			if esc := url.PathEscape(s); esc != s {
				text = strings.ReplaceAll(text, esc, "xxxxx")
			}
		}
	}
	return text
}

// Error wraps err so its message has the secrets removed; errors.Is/As still
// see the original.
func Error(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	msg := Secrets(err.Error(), secrets...)
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
