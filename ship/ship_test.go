package ship

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/testkit/rclonetest"
)

// Every backend: segments land at FOLDER/YYYYMMDD/HH/NAME.mp4, byte for
// byte, and the local copy is gone. The backlog (there before the start) and
// new files (after) both go, in time order.
func TestShipsToEveryBackend(t *testing.T) {
	ctx := setup(t)
	sc := scheme(t)
	backends := map[string]func(testing.TB) (spec, root string){
		"local":  func(t testing.TB) (string, string) { d := t.TempDir(); return d, d },
		"s3":     serverRemote(rclonetest.S3),
		"webdav": serverRemote(rclonetest.WebDAV),
		"sftp":   serverRemote(rclonetest.SFTP),
	}
	for name, backend := range backends {
		t.Run(name, func(t *testing.T) {
			spec, root := backend(t)
			dir := t.TempDir()
			want := map[string][]byte{}
			var order []string
			for i := range 3 { // backlog, including one across the hour
				n, data := segment(t, dir, sc, i, 100<<10+i)
				want[n], order = data, append(order, n)
			}
			_, shipped := running(t, ctx, Options{
				Sources: []Source{{Name: "cam1", Dir: dir, Dest: open(t, ctx, spec+"/cam1")}},
				Scheme:  sc,
			})
			for i := 3; i < 5; i++ {
				n, data := segment(t, dir, sc, i, 50<<10+i)
				want[n], order = data, append(order, n)
			}
			eventually(t, "5 shipped", func() bool { return len(shipped.get()) == 5 })
			for n, data := range want {
				checkLanded(t, filepath.Join(root, "cam1"), sc, n, data, dir)
			}
			if _, err := os.Stat(filepath.Join(root, "cam1", "20240323", "11")); err != nil {
				t.Errorf("hour folder 11 missing: %v", err)
			}
			for i, s := range shipped.get() {
				if filepath.Base(s.Local) != order[i] || s.Source != "cam1" || !s.Uploaded {
					t.Errorf("shipped #%d = %+v, want %s", i, s, order[i])
				}
			}
		})
	}
}

func serverRemote(start func(testing.TB) *rclonetest.Server) func(testing.TB) (string, string) {
	return func(t testing.TB) (string, string) {
		s := start(t)
		return s.Remote, s.Root
	}
}

// A NAME.tmp being written is never shipped; after its rename it is shipped
// exactly once.
func TestTempNeverShipped(t *testing.T) {
	ctx := setup(t)
	sc := scheme(t)
	srv := rclonetest.S3(t)
	dir := t.TempDir()
	s, shipped := running(t, ctx, Options{
		Sources: []Source{{Dir: dir, Dest: open(t, ctx, srv.Remote+"/cam")}},
		Scheme:  sc, Rescan: 100 * time.Millisecond, // rescans must not pick it up either
	})
	name := sc.Name(base)
	tmp := filepath.Join(dir, sc.TempName(name))
	f, err := os.Create(tmp)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("\x00\x00\x00\x18ftypisom") // as every segment starts
	for i := range 20 {                       // written slowly, over many rescans
		fmt.Fprintf(f, "fragment %d\n", i)
		time.Sleep(50 * time.Millisecond)
	}
	// A closed segment next to it proves the shipper was awake all along.
	other, _ := segment(t, dir, sc, 5, 1000)
	eventually(t, "the other segment", func() bool { return len(shipped.get()) == 1 })
	if got := shipped.get()[0]; filepath.Base(got.Local) != other {
		t.Fatalf("shipped %s before its rename", got.Local)
	}
	if entries, _ := os.ReadDir(filepath.Dir(remoteFile(t, filepath.Join(srv.Root, "cam"), sc, name))); len(entries) != 0 {
		t.Fatalf("remote has %v while NAME.tmp is open", entries)
	}
	f.Close()
	data, _ := os.ReadFile(tmp)
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the renamed segment", func() bool { return len(shipped.get()) == 2 })
	time.Sleep(500 * time.Millisecond) // several rescans: nothing more may go
	if n := len(shipped.get()); n != 2 || s.Stats().Shipped != 2 {
		t.Fatalf("shipped %d times, want 2", n)
	}
	checkLanded(t, filepath.Join(srv.Root, "cam"), sc, name, data, dir)
	_ = context.Background
}
