package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"golang.org/x/net/websocket"
)

// rpcConn is the one WebSocket client of the kit. Chromium's DevTools
// Protocol and WebDriver BiDi (Firefox) frame commands the same way:
// {"id":N,"method":M,"params":P} answered by a message with the same id
// and either "result" or "error". Messages without an id are events, which
// nothing here subscribes to.
type rpcConn struct {
	name string // "chromium", "firefox": for error messages
	ws   *websocket.Conn

	mu      sync.Mutex
	nextID  int
	pending map[int]chan rpcReply
	closed  bool
}

type rpcReply struct {
	Result json.RawMessage `json:"result"`
	// CDP: {"code":N,"message":"..."}; BiDi: "error code" plus "message".
	Error   json.RawMessage `json:"error"`
	Message string          `json:"message"`
}

func (r rpcReply) err() error {
	if len(r.Error) == 0 || string(r.Error) == "null" {
		return nil
	}
	var cdp struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(r.Error, &cdp) == nil && cdp.Message != "" {
		return errors.New(cdp.Message)
	}
	var code string
	json.Unmarshal(r.Error, &code)
	return fmt.Errorf("%s: %s", code, r.Message)
}

// dialRPC connects to a protocol WebSocket on the loopback.
func dialRPC(name, url string) (*rpcConn, error) {
	cfg, err := websocket.NewConfig(url, "http://127.0.0.1/")
	if err != nil {
		return nil, err
	}
	ws, err := websocket.DialConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", name, err)
	}
	ws.MaxPayloadBytes = 64 << 20 // screenshots
	c := &rpcConn{name: name, ws: ws, pending: map[int]chan rpcReply{}}
	go c.readLoop()
	return c, nil
}

func (c *rpcConn) readLoop() {
	for {
		var msg struct {
			ID int `json:"id"`
			rpcReply
		}
		if err := websocket.JSON.Receive(c.ws, &msg); err != nil {
			c.shut()
			return
		}
		if msg.ID == 0 {
			continue // an event
		}
		c.mu.Lock()
		ch := c.pending[msg.ID]
		delete(c.pending, msg.ID)
		c.mu.Unlock()
		if ch != nil {
			ch <- msg.rpcReply
		}
	}
}

// shut marks the connection dead and wakes every waiting call.
func (c *rpcConn) shut() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	for id, ch := range c.pending {
		close(ch)
		delete(c.pending, id)
	}
}

func (c *rpcConn) alive() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.closed
}

// call sends one command and waits for its result.
func (c *rpcConn) call(ctx context.Context, method string, params any) (json.RawMessage, error) {
	if params == nil {
		params = struct{}{}
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, fmt.Errorf("%s connection closed", c.name)
	}
	c.nextID++
	id := c.nextID
	ch := make(chan rpcReply, 1)
	c.pending[id] = ch
	c.mu.Unlock()
	msg := map[string]any{"id": id, "method": method, "params": params}
	if err := websocket.JSON.Send(c.ws, msg); err != nil {
		return nil, fmt.Errorf("%s %s: %w", c.name, method, err)
	}
	select {
	case r, ok := <-ch:
		if !ok {
			return nil, fmt.Errorf("%s connection closed during %s", c.name, method)
		}
		if err := r.err(); err != nil {
			return nil, fmt.Errorf("%s %s: %w", c.name, method, err)
		}
		return r.Result, nil
	case <-ctx.Done():
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
		return nil, fmt.Errorf("%s %s: %w", c.name, method, ctx.Err())
	}
}

func (c *rpcConn) close() {
	c.ws.Close()
}
