package ship

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

// --dry-run: nothing is uploaded, nothing deleted, and it is not an error.
func TestDryRun(t *testing.T) {
	ctx := setup(t)
	ctx, ci := fs.AddConfig(ctx)
	ci.DryRun = true
	sc := scheme(t)
	srv := rclonetest.S3(t)
	dir := t.TempDir()
	for i := range 2 {
		segment(t, dir, sc, i, 1000)
	}
	log, logs := testLogger(t)
	s, err := New(Options{Sources: []Source{{Dir: dir, Dest: open(t, ctx, srv.Remote+"/cam")}}, Scheme: sc, Once: true, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if _, names := localBytes(t, dir); len(names) != 2 {
		t.Errorf("local files now %q", names)
	}
	if got := remoteNames(t, filepath.Join(srv.Root)); len(got) != 0 {
		t.Errorf("dry run uploaded %q", got)
	}
	if n := strings.Count(logs.String(), "would ship"); n != 2 {
		t.Errorf("%d 'would ship' lines, want 2", n)
	}
	_ = os.Stat
}
