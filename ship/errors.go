package ship

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"syscall"

	"github.com/camshare/camshare/internal/backoff"
	"github.com/camshare/camshare/internal/redact"
)

// oneLine flattens an error for a log line or the final error, saying in
// plain words when the remote refused access (HTTP 403 and friends read
// like an outage otherwise).
func oneLine(err error) string {
	if err == nil {
		return ""
	}
	msg := redact.Line(err)
	if isRefusal(msg) {
		return "the remote refused access (check its keys/permissions): " + msg
	}
	return msg
}

func isRefusal(msg string) bool {
	for _, p := range []string{"StatusCode: 403", "AccessDenied", "Forbidden", "401 Unauthorized", "StatusCode: 401",
		"NoSuchBucket", "404 Not Found", "InvalidAccessKeyId", "SignatureDoesNotMatch", "permission denied"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

// failureKind tells the retry policy whether the remote did not answer
// (probe it often: it is back any moment) or answered no (back off).
func failureKind(err error) backoff.Failure {
	if isRefusal(err.Error()) {
		return backoff.Failed
	}
	var ne net.Error
	switch {
	case errors.As(err, &ne), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), errors.Is(err, os.ErrDeadlineExceeded),
		errors.Is(err, context.DeadlineExceeded):
		return backoff.Unreachable
	}
	msg := err.Error()
	for _, p := range []string{"connection refused", "connection reset", "no such host", "i/o timeout", "EOF",
		"timeout", "network is unreachable", "no route to host", "503", "502", "504"} {
		if strings.Contains(msg, p) {
			return backoff.Unreachable
		}
	}
	return backoff.Failed
}
