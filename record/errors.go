package record

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

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
		return &explained{"wrong user name or password (camera answered 401 Unauthorized)", err}
	case base.StatusForbidden:
		return &explained{"access denied (camera answered 403 Forbidden)", err}
	case base.StatusNotFound:
		return &explained{"no such stream path (camera answered 404 Not Found)", err}
	}
	return err
}

// errHTTP: the URL leads to a web server, which retrying will not change.
var errHTTP = permanentf("this is not an RTSP server (it answered HTTP): check the camera URL's port")

// explained replaces an error's text but keeps it for errors.As.
type explained struct {
	msg string
	err error
}

func (e *explained) Error() string { return e.msg }
func (e *explained) Unwrap() error { return e.err }

// queryCredentials are the values of query parameters that look like
// credentials: some cameras take them there instead of in the userinfo.
func queryCredentials(u *url.URL) []string {
	var out []string
	for k, vs := range u.Query() {
		k = strings.ToLower(k)
		for _, hint := range []string{"pass", "pwd", "token", "secret", "key", "auth", "sig"} {
			if strings.Contains(k, hint) {
				out = append(out, vs...)
				break
			}
		}
	}
	return out
}
