package rclonetest

import (
	"context"
	"io"
	"sync"

	"github.com/rclone/rclone/fs"
)

// Counter is an fs.Fs that counts what is asked of it before passing the
// call on: pass it to the code under test instead of the opened remote and
// read Calls afterwards. Listing through rclone's ListR/ListP fast paths is
// counted too (each call once, under "ListR"/"ListP"), so a test sees every
// listing however rclone chose to do it.
type Counter struct {
	fs.Fs
	mu     sync.Mutex
	calls  map[string]int
	listed []string
}

// Count wraps f.
func Count(f fs.Fs) *Counter { return &Counter{Fs: f, calls: map[string]int{}} }

// Calls is how often op ("List", "ListR", "ListP", "NewObject", "Put") ran.
func (c *Counter) Calls(op string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[op]
}

// Lists is the number of listing calls of any kind.
func (c *Counter) Lists() int { return c.Calls("List") + c.Calls("ListR") + c.Calls("ListP") }

// Listed is every folder listed, in call order ("" is the root).
func (c *Counter) Listed() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.listed...)
}

// Reset zeroes the counts.
func (c *Counter) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls, c.listed = map[string]int{}, nil
}

func (c *Counter) note(op, dir string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[op]++
	if dir != "\x00" {
		c.listed = append(c.listed, dir)
	}
}

// List counts and lists.
func (c *Counter) List(ctx context.Context, dir string) (fs.DirEntries, error) {
	c.note("List", dir)
	return c.Fs.List(ctx, dir)
}

// NewObject counts and looks the object up.
func (c *Counter) NewObject(ctx context.Context, remote string) (fs.Object, error) {
	c.note("NewObject", "\x00")
	return c.Fs.NewObject(ctx, remote)
}

// Put counts and uploads.
func (c *Counter) Put(ctx context.Context, in io.Reader, src fs.ObjectInfo, options ...fs.OpenOption) (fs.Object, error) {
	c.note("Put", "\x00")
	return c.Fs.Put(ctx, in, src, options...)
}

// Features are the wrapped remote's, with the listing fast paths counted.
func (c *Counter) Features() *fs.Features {
	ft := *c.Fs.Features()
	if listR := ft.ListR; listR != nil {
		ft.ListR = func(ctx context.Context, dir string, cb fs.ListRCallback) error {
			c.note("ListR", dir)
			return listR(ctx, dir, cb)
		}
	}
	if listP := ft.ListP; listP != nil {
		ft.ListP = func(ctx context.Context, dir string, cb fs.ListRCallback) error {
			c.note("ListP", dir)
			return listP(ctx, dir, cb)
		}
	}
	return &ft
}
