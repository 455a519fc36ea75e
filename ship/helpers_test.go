package ship

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rclone/rclone/fs"
	"github.com/rclone/rclone/fs/operations"

	"github.com/camshare/camshare/internal/layout"
	"github.com/camshare/camshare/internal/logging"
	"github.com/camshare/camshare/internal/remote"
)

// base is the first segment's start; names are UTC so the expected remote
// paths do not depend on the machine's zone.
var base = time.Date(2024, 3, 23, 10, 58, 0, 0, time.UTC)

func scheme(t testing.TB) *layout.Scheme {
	s, err := layout.New(layout.DefaultName, layout.DefaultDir, true)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// setup configures rclone as camshare does, with one low-level retry so a
// stopped server fails fast instead of after rclone's long retry ladder.
// Once per process: Setup writes rclone's global config, which servers of
// earlier tests still read.
func setup(t testing.TB) context.Context {
	setupOnce.Do(func() {
		setupCtx, setupErr = remote.Setup(context.Background(), remote.Options{
			ConfigPath: filepath.Join(os.TempDir(), "camshare-ship-test-none.conf"), LowLevelRetries: 1, Transfers: 2,
		}, logging.Discard())
	})
	if setupErr != nil {
		t.Fatal(setupErr)
	}
	return setupCtx
}

var (
	setupOnce sync.Once
	setupCtx  context.Context
	setupErr  error
)

// open opens a remote like the command does.
func open(t testing.TB, ctx context.Context, spec string) fs.Fs {
	f, err := remote.Open(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// segment writes a closed segment the way the recorder does (NAME.tmp, then
// a rename) and returns its name and content.
func segment(t testing.TB, dir string, sc *layout.Scheme, i int, size int) (string, []byte) {
	name := sc.Name(base.Add(time.Duration(i) * time.Minute))
	data := make([]byte, size)
	rand.Read(data)
	copy(data[4:], "ftyp") // every segment starts with an ISO-BMFF ftyp box
	tmp := filepath.Join(dir, sc.TempName(name))
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
	return name, data
}

// remoteFile is where a segment must land on the server's disk.
func remoteFile(t testing.TB, root string, sc *layout.Scheme, name string) string {
	p, err := sc.RemotePath(name)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(root, filepath.FromSlash(p))
}

// eventually polls cond until it holds or a generous deadline passes (the
// machine is shared: never assert on timing).
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// running starts a shipper and stops it when the test ends.
func running(t testing.TB, ctx context.Context, o Options) (*Shipper, *shippedLog) {
	log := &shippedLog{}
	o.OnShipped = func(_ context.Context, s Shipped) { log.add(s) }
	if o.Scheme == nil {
		o.Scheme = scheme(t)
	}
	if o.Log == nil {
		o.Log, _ = testLogger(t)
	}
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return s, log
}

type shippedLog struct {
	mu  sync.Mutex
	all []Shipped
}

func (l *shippedLog) add(s Shipped) { l.mu.Lock(); l.all = append(l.all, s); l.mu.Unlock() }
func (l *shippedLog) get() []Shipped {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Shipped(nil), l.all...)
}

// logBuffer keeps the shipper's log in memory, printed if the test fails;
// the outage test counts its lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}
func (b *logBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.buf.String() }

func testLogger(t testing.TB) (*slog.Logger, *logBuffer) {
	b := &logBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("shipper log:\n%s", b.String())
		}
	})
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})), b
}

func checkLanded(t testing.TB, root string, sc *layout.Scheme, name string, want []byte, localDir string) {
	t.Helper()
	got, err := os.ReadFile(remoteFile(t, root, sc, name))
	if err != nil {
		t.Fatalf("%s not on the remote: %v", name, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s on the remote differs (%d bytes, want %d)", name, len(got), len(want))
	}
	if _, err := os.Stat(filepath.Join(localDir, name)); !os.IsNotExist(err) {
		t.Fatalf("%s still local (%v)", name, err)
	}
}

var _ = fmt.Sprint

// rclonePut stores data at p on f, as another machine would have.
func rclonePut(ctx context.Context, f fs.Fs, p string, data []byte) error {
	_, err := operations.Rcat(ctx, f, p, io.NopCloser(bytes.NewReader(data)), time.Now(), nil)
	return err
}
