package doctor

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/config"
	"github.com/rclone/rclone/fs/fspath"
)

// MaxSkew is how far our clock may be from the remote's. Segment names are
// the wall clock, so a phone hours off files footage under the wrong hour;
// presigned links also fail when the clock is minutes off.
const MaxSkew = 2 * time.Minute

// checkClock compares our clock with the remote's: the HTTP Date header of
// the remote's endpoint when it has one, else the probe's modification time
// on backends that cannot keep ours (so it is the server's).
func checkClock(ctx context.Context, o Options, f fs.Fs, spec, probe string, sent time.Time) Result {
	r := Result{Name: "clock"}
	if f.Features().IsLocal {
		r.Level, r.Detail = Info, "the remote is this device's disk: nothing to compare with"
		return r
	}
	theirs, ours, source, err := serverTime(ctx, o, f, spec, probe, sent)
	if err != nil {
		r.Level = Info
		r.Detail = "could not read the remote's time (" + err.Error() + "); make sure the device sets its clock automatically"
		return r
	}
	skew := ours.Sub(theirs)
	if skew < 0 {
		skew = -skew
	}
	r.Detail = fmt.Sprintf("within %s of %s", skew.Round(time.Second), source)
	if skew > MaxSkew {
		r.Level = Fail
		dir := "ahead of"
		if ours.Before(theirs) {
			dir = "behind"
		}
		r.Detail = fmt.Sprintf("this device is %s %s %s", skew.Round(time.Second), dir, source)
		r.Hint = "segment names come from this clock: turn on automatic date & time (Android: Settings → System → Date & time; Pi: timedatectl set-ntp true)"
	}
	return r
}

func serverTime(ctx context.Context, o Options, f fs.Fs, spec, probe string, sent time.Time) (theirs, ours time.Time, source string, err error) {
	if endpoint := endpointOf(spec); endpoint != "" {
		theirs, ours, err = httpDate(ctx, endpoint, o.Timeout)
		if err == nil {
			return theirs, ours, "the remote's server (" + hostOf(endpoint) + ")", nil
		}
	}
	if f.Precision() == fs.ModTimeNotSupported {
		obj, err := f.NewObject(ctx, probe)
		if err == nil {
			return obj.ModTime(ctx), sent, "the remote's time stamp on an upload", nil
		}
	}
	if err == nil {
		err = errNoServerTime
	}
	return time.Time{}, time.Time{}, "", err
}

// endpointOf finds an http(s) address for the remote: its endpoint or url
// option, or AWS's for plain S3.
func endpointOf(spec string) string {
	p, err := fspath.Parse(spec)
	if err != nil || p.Name == "" {
		return ""
	}
	get := func(key string) string {
		if v, ok := p.Config.Get(key); ok {
			return strings.Trim(v, `'"`)
		}
		if !strings.HasPrefix(p.Name, ":") {
			v, _ := config.LoadedData().GetValue(p.Name, key)
			return v
		}
		return ""
	}
	for _, key := range []string{"endpoint", "url"} {
		if v := get(key); strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") {
			return v
		}
	}
	typ := strings.TrimPrefix(p.Name, ":")
	if !strings.HasPrefix(p.Name, ":") {
		typ = get("type")
	}
	if typ == "s3" && (get("provider") == "" || get("provider") == "AWS") {
		return "https://s3.amazonaws.com"
	}
	return ""
}

func hostOf(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	if i := strings.IndexAny(u, "/?"); i >= 0 {
		u = u[:i]
	}
	return u
}

// httpDate asks the server for its Date header; ours is the middle of the
// exchange, so slow networks do not count as skew.
func httpDate(ctx context.Context, endpoint string, timeout time.Duration) (theirs, ours time.Time, err error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, endpoint, nil)
	if err != nil {
		return
	}
	began := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return
	}
	resp.Body.Close()
	ours = began.Add(time.Since(began) / 2)
	theirs, err = http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		err = fmt.Errorf("no Date header")
	}
	return
}
