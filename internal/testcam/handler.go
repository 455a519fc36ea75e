package testcam

import (
	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
)

// The session is the gortsplib server handler: a camera that only plays.
// Credentials are checked on DESCRIBE and SETUP, as gortsplib requires for
// readers.

func (s *session) OnConnOpen(ctx *gortsplib.ServerHandlerOnConnOpenCtx) {
	s.cam.log.Debug("testcam connection", "remote", ctx.Conn.NetConn().RemoteAddr().String())
}

func (s *session) OnConnClose(ctx *gortsplib.ServerHandlerOnConnCloseCtx) {
	s.cam.log.Debug("testcam connection closed", "err", ctx.Error)
}

func (s *session) OnDescribe(ctx *gortsplib.ServerHandlerOnDescribeCtx) (*base.Response, *gortsplib.ServerStream, error) {
	if res, err := s.authorize(ctx.Conn, ctx.Request, ctx.Path); res != nil {
		return res, nil, err
	}
	s.streamMu.RLock()
	defer s.streamMu.RUnlock()
	return &base.Response{StatusCode: base.StatusOK}, s.stream, nil
}

func (s *session) OnSetup(ctx *gortsplib.ServerHandlerOnSetupCtx) (*base.Response, *gortsplib.ServerStream, error) {
	if res, err := s.authorize(ctx.Conn, ctx.Request, ctx.Path); res != nil {
		return res, nil, err
	}
	s.streamMu.RLock()
	defer s.streamMu.RUnlock()
	return &base.Response{StatusCode: base.StatusOK}, s.stream, nil
}

func (s *session) OnPlay(*gortsplib.ServerHandlerOnPlayCtx) (*base.Response, error) {
	return &base.Response{StatusCode: base.StatusOK}, nil
}
