package doctor

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"

	"github.com/camshare/camshare/internal/config"
	"github.com/camshare/camshare/internal/redact"
)

// checkCamera asks the camera to DESCRIBE its stream: that one exchange
// proves it is reachable, accepts our credentials, and says which codecs
// it sends.
func checkCamera(ctx context.Context, o Options, c config.Camera) []Result {
	name := "camera " + c.Name
	desc, err := describe(ctx, c, o.Timeout)
	if err != nil {
		r := Result{Level: Fail, Name: name, Detail: redact.Error(err, c.Password).Error()}
		r.Hint = cameraHint(err, c)
		return []Result{r}
	}
	var video, audio []string
	var videoOK bool
	audioNote := ""
	for _, m := range desc.Medias {
		for _, f := range m.Formats {
			switch f.(type) {
			case *format.H264, *format.H265:
				video = append(video, f.Codec())
				videoOK = true
			case *format.G711:
				audio = append(audio, f.Codec())
				audioNote = "G.711, recorded as AAC-LC so browsers play it"
			case *format.MPEG4Audio:
				audio = append(audio, f.Codec())
				if audioNote == "" {
					audioNote = "AAC, kept as is"
				}
			default:
				if m.Type == description.MediaTypeVideo {
					video = append(video, f.Codec())
				} else if m.Type == description.MediaTypeAudio {
					audio = append(audio, f.Codec())
				}
			}
		}
	}
	out := []Result{{Level: Pass, Name: name, Detail: "reachable, credentials accepted, video " + strings.Join(video, ", ")}}
	if !videoOK {
		out[0].Level = Fail
		out[0].Detail = fmt.Sprintf("reachable, but no H.264/H.265 video (has: %s)", orNone(video))
		out[0].Hint = "set the camera's stream to H.264 (or H.265) in its web interface; camshare copies video, it does not transcode"
		return out
	}
	a := Result{Level: Pass, Name: name + " audio"}
	switch {
	case c.Audio == "none":
		a.Level, a.Detail = Info, "off (audio: none)"
	case len(audio) == 0:
		a.Level, a.Detail = Info, "the camera sends no audio"
	case audioNote == "":
		a.Level, a.Detail = Warn, fmt.Sprintf("%s is not supported and will be left out", strings.Join(audio, ", "))
		a.Hint = "switch the camera's audio to G.711 or AAC, or set audio: none"
	default:
		a.Detail = audioNote
	}
	return append(out, a)
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// describe connects, DESCRIBEs and disconnects. gortsplib takes no context,
// so the client is closed from here when ctx ends or the timeout passes.
func describe(ctx context.Context, c config.Camera, timeout time.Duration) (*description.Session, error) {
	raw := c.URL
	if c.Password != "" {
		if u, err := url.Parse(raw); err == nil {
			user := ""
			if u.User != nil {
				user = u.User.Username()
			}
			u.User = url.UserPassword(user, c.Password)
			raw = u.String()
		}
	}
	u, err := base.ParseURL(raw)
	if err != nil {
		return nil, fmt.Errorf("camera URL %s is not valid", redact.URL(c.URL))
	}
	tcp := gortsplib.TransportTCP
	client := &gortsplib.Client{Scheme: u.Scheme, Host: u.Host, Transport: &tcp,
		ReadTimeout: timeout, WriteTimeout: timeout}
	if err := client.Start2(); err != nil {
		return nil, err
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-ctx.Done():
			client.Close()
		case <-done:
		}
	}()
	defer client.Close()
	desc, _, err := client.Describe(u)
	return desc, err
}

// cameraHint turns what went wrong into what to try.
func cameraHint(err error, c config.Camera) string {
	var sc liberrors.ErrClientBadStatusCode
	if errors.As(err, &sc) {
		switch sc.Code {
		case base.StatusUnauthorized, base.StatusForbidden:
			where := "the user in url"
			switch {
			case c.PasswordFile != "":
				where += " and the password in " + c.PasswordFile
			case c.PasswordEnv != "":
				where += " and the password in $" + c.PasswordEnv
			}
			return "the camera refused the credentials: check " + where + " (try them in VLC)"
		case base.StatusNotFound:
			return "the camera has no stream at that path: look up your model's RTSP URL (e.g. /stream1, /h264Preview_01_main, /cam/realmonitor?channel=1&subtype=0)"
		}
		return ""
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "connection refused"):
		return "nothing listens on that port: check the port (usually 554) and that RTSP is enabled in the camera's settings"
	case strings.Contains(msg, "timeout") || strings.Contains(msg, "i/o timeout") || strings.Contains(msg, "no route"):
		return "the camera does not answer: check its IP address (it may have changed: give it a fixed one in the router) and that this device is on the same network"
	case strings.Contains(msg, "no such host") || strings.Contains(msg, "lookup"):
		return "the camera's name does not resolve: use its IP address, or --dns on Termux"
	}
	return ""
}
