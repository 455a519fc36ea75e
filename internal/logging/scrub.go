package logging

import (
	"context"
	"log/slog"

	"github.com/camshare/camshare/internal/redact"
)

// scrubbing is the last line of defence for credentials: every message and
// every string, error or Stringer attribute passes redact.Text before it is
// written, so a URL or connection string some library puts in an error
// (rclone echoes its whole remote spec) is masked even where the code that
// logged it forgot. Attributes whose key names a credential are masked whole.
type scrubbing struct{ slog.Handler }

func (h scrubbing) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, redact.Text(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(scrubAttr(a))
		return true
	})
	return h.Handler.Handle(ctx, out)
}

func (h scrubbing) WithAttrs(as []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(as))
	for i, a := range as {
		clean[i] = scrubAttr(a)
	}
	return scrubbing{h.Handler.WithAttrs(clean)}
}

func (h scrubbing) WithGroup(name string) slog.Handler { return scrubbing{h.Handler.WithGroup(name)} }

func scrubAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch {
	case v.Kind() == slog.KindGroup:
		g := v.Group()
		clean := make([]any, len(g))
		for i, ga := range g {
			clean[i] = scrubAttr(ga)
		}
		return slog.Group(a.Key, clean...)
	case redact.IsSecretKey(a.Key) && !isCount(v):
		return slog.String(a.Key, redact.Mask)
	case v.Kind() == slog.KindString:
		return slog.String(a.Key, redact.Text(v.String()))
	case v.Kind() == slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, redact.Text(x.Error()))
		case interface{ String() string }:
			return slog.String(a.Key, redact.Text(x.String()))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}

// isCount: numbers, times and booleans carry no credential ("keys": 3).
func isCount(v slog.Value) bool {
	switch v.Kind() {
	case slog.KindInt64, slog.KindUint64, slog.KindFloat64, slog.KindBool, slog.KindDuration, slog.KindTime:
		return true
	}
	return false
}

// readableDurations makes JSON logs write "1.5s" as text handlers do, not
// 1500000000 nanoseconds.
func readableDurations(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindDuration {
		return slog.String(a.Key, a.Value.Duration().String())
	}
	return a
}
