package record

import (
	"errors"
	"fmt"

	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"
)

// permanentError is a failure that retrying cannot fix (the camera answers,
// but not with anything we can record).
type permanentError struct{ msg string }

func (e *permanentError) Error() string { return e.msg }

func permanentf(format string, a ...any) error {
	return &permanentError{msg: fmt.Sprintf(format, a...)}
}

// isPermanent says whether err means "stop": at start-up such errors end
// Run at once instead of retrying forever.
func isPermanent(err error) bool {
	var p *permanentError
	if errors.As(err, &p) {
		return true
	}
	var sc liberrors.ErrClientBadStatusCode
	if errors.As(err, &sc) {
		switch sc.Code {
		case base.StatusUnauthorized, base.StatusForbidden, base.StatusNotFound:
			return true
		}
	}
	var us liberrors.ErrClientUnsupportedScheme
	return errors.As(err, &us)
}

// explain rewrites gortsplib's terse status errors into what a user can act
// on; other errors pass unchanged.
func explain(err error) error {
	var sc liberrors.ErrClientBadStatusCode
	if !errors.As(err, &sc) {
		return err
	}
	switch sc.Code {
	case base.StatusUnauthorized:
		return fmt.Errorf("wrong user name or password (camera answered 401 Unauthorized): %w", err)
	case base.StatusForbidden:
		return fmt.Errorf("access denied (camera answered 403 Forbidden): %w", err)
	case base.StatusNotFound:
		return fmt.Errorf("no such stream path (camera answered 404 Not Found): %w", err)
	}
	return err
}
