package rgw

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	_ "github.com/rclone/rclone/backend/s3" // Bucket makes buckets through rclone
	"github.com/rclone/rclone/fs"
)

// One cluster per test binary, started by the first test that asks.
var shared struct {
	sync.Mutex
	main    bool // Main runs this binary's tests
	started bool
	srv     *Server
	err     error
}

// Main runs a package's tests and then stops the shared cluster, if one
// was started. Use it as: func TestMain(m *testing.M) { os.Exit(rgw.Main(m)) }
func Main(m *testing.M) int {
	shared.Lock()
	shared.main = true
	shared.Unlock()
	code := m.Run()
	shared.Lock()
	defer shared.Unlock()
	if shared.srv != nil {
		shared.srv.Close()
		if err := shared.srv.leftovers(); err != nil && code == 0 {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
		shared.srv = nil
	}
	return code
}

// Shared is the test binary's cluster, started on first use. A cluster that
// failed to start fails every test that asks for it.
func Shared(t testing.TB) *Server {
	t.Helper()
	shared.Lock()
	defer shared.Unlock()
	if !shared.main {
		t.Fatal("rgw.Shared needs the package's TestMain to call rgw.Main (it stops the cluster)")
	}
	if !shared.started {
		shared.started = true
		shared.srv, shared.err = Start(context.Background())
	}
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.srv
}

var buckets atomic.Int64

// Bucket makes a new empty bucket for one test and returns its name.
func (s *Server) Bucket(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("t%d-%s", buckets.Add(1), strings.Map(bucketRune, strings.ToLower(t.Name())))
	if len(name) > 63 {
		name = name[:63]
	}
	name = strings.TrimRight(name, "-")
	f, err := fs.NewFs(context.Background(), s.Remote(name))
	if err == nil {
		err = f.Mkdir(context.Background(), "")
	}
	if err != nil {
		t.Fatalf("rgw: make bucket %s: %v", name, err)
	}
	return name
}

// bucketRune keeps what S3 allows in a bucket name.
func bucketRune(r rune) rune {
	if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
		return r
	}
	return '-'
}
