package doctor

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/operations"

	"github.com/camshare/camshare/internal/config"
	"github.com/camshare/camshare/internal/redact"
	"github.com/camshare/camshare/internal/remote"
)

// checkRemote writes, reads back and deletes a small probe object in the
// remote folder: the three things ship and prune do. While the probe
// exists it also asks for a public link (the live page needs them) and
// uses the remote's answers to check our clock.
func checkRemote(ctx context.Context, o Options) []Result {
	spec := o.Config.Remote
	name := "remote " + config.SafeRemote(spec)
	ctx, cancel := context.WithTimeout(ctx, 3*o.Timeout)
	defer cancel()
	f, err := remote.Open(ctx, spec)
	if err != nil {
		msg := strings.ReplaceAll(redact.Line(err), spec, config.SafeRemote(spec))
		return []Result{{Level: Fail, Name: name, Detail: msg,
			Hint: "check the remote with 'rclone lsd " + config.SafeRemote(spec) + "' and rclone_config in the config"}}
	}
	probe := probeName()
	body := []byte("camshare doctor probe, safe to delete\n")
	sent := o.Now()
	obj, err := operations.Rcat(ctx, f, probe, io.NopCloser(bytes.NewReader(body)), sent, nil)
	if err != nil {
		return []Result{{Level: Fail, Name: name, Detail: "cannot write: " + redact.Line(err),
			Hint: "the remote must be writable by these credentials (ship uploads there); for S3 check the bucket exists and the key may PutObject"}}
	}
	defer func() {
		// Best effort: the probe must not stay behind even if a check
		// below failed.
		if obj != nil {
			operations.DeleteFile(context.WithoutCancel(ctx), obj)
		}
	}()
	var out []Result
	readOK := false
	got, err := readBack(ctx, f, probe)
	switch {
	case err != nil:
		out = append(out, Result{Level: Fail, Name: name, Detail: "wrote a probe but cannot read it back: " + redact.Line(err),
			Hint: "the credentials need read access too (share and prune list and read the archive)"})
	case !bytes.Equal(got, body):
		out = append(out, Result{Level: Fail, Name: name, Detail: "the probe read back differs from what was written"})
	default:
		readOK = true
	}
	out = append(out, checkLinks(ctx, o, f, probe))
	out = append(out, checkClock(ctx, o, f, spec, probe, sent))
	if err := operations.DeleteFile(ctx, obj); err != nil {
		out = append(out, Result{Level: Fail, Name: name, Detail: "cannot delete: " + redact.Line(err),
			Hint: "pruning needs delete permission; without it old footage piles up"})
	} else if readOK {
		out = append([]Result{{Level: Pass, Name: name, Detail: fmt.Sprintf("reachable, write/read/delete ok (%s)", o.Now().Sub(sent).Round(10*time.Millisecond))}}, out...)
	}
	obj = nil
	return out
}

func probeName() string {
	b := make([]byte, 6)
	rand.Read(b)
	return ".camshare-doctor-" + hex.EncodeToString(b) + ".txt"
}

func readBack(ctx context.Context, f fs.Fs, name string) ([]byte, error) {
	o, err := f.NewObject(ctx, name)
	if err != nil {
		return nil, err
	}
	rc, err := o.Open(ctx)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// checkLinks asks the backend for a link to the probe.
func checkLinks(ctx context.Context, o Options, f fs.Fs, probe string) Result {
	r := Result{Name: "share links"}
	link, err := operations.PublicLink(ctx, f, probe, fs.Duration(time.Hour), false)
	if err == nil {
		u, perr := url.Parse(link)
		where := "a link"
		if perr == nil {
			where = u.Scheme + "://" + u.Host + "/…" // the rest may hold a signature
		}
		r.Level, r.Detail = Pass, "the remote makes links family can open ("+where+")"
		return r
	}
	r.Detail = "this remote cannot make public links: " + redact.Line(err)
	r.Hint = "links and the live page need an S3-compatible remote (AWS, R2, B2, Wasabi, MinIO) or Drive/pCloud/Mega"
	if o.Config.Live.Enabled {
		r.Level = Fail
		r.Hint += "; or set live: off"
	} else {
		r.Level = Info
	}
	return r
}

var errNoServerTime = errors.New("no server time")
