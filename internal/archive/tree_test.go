package archive

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rclone/rclone/fs"

	"github.com/camshare/camshare/internal/layout"
)

func TestListTree(t *testing.T) {
	s, _ := layout.New(layout.DefaultName, layout.DefaultDir, true)
	start := time.Date(2024, 3, 21, 0, 0, 0, 0, time.UTC)
	root := seed(t, s, start, 2*288)
	write(t, filepath.Join(root, "20240321", "10", "notes.txt"), "n")
	write(t, filepath.Join(root, "20240321", "thumbs", "a.jpg"), "j")
	write(t, filepath.Join(root, "20240321", "99", "20240321T000000+0000.mp4"), "hour 99 is no hour")
	ctx := context.Background()
	f, err := fs.NewFs(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := ListTree(ctx, f, s, "20240321")
	if err != nil {
		t.Fatal(err)
	}
	if len(tree.Segments) != 288 || tree.Segments[0].Path != "20240321/00/20240321T000000+0000.mp4" || tree.Segments[0].Object == nil {
		t.Fatalf("%d segments, first %+v", len(tree.Segments), tree.Segments[0])
	}
	var strays []string
	for _, o := range tree.Strays {
		strays = append(strays, o.Remote())
	}
	sort.Strings(strays)
	want := "20240321/10/notes.txt,20240321/20240321T000000+0000.mp4,20240321/99/20240321T000000+0000.mp4,20240321/notes.txt,20240321/thumbs/a.jpg"
	if strings.Join(strays, ",") != want {
		t.Fatalf("strays %v", strays)
	}
	if len(tree.Dirs) != 26 { // 24 hours, 99, thumbs
		t.Fatalf("%d dirs: %v", len(tree.Dirs), tree.Dirs)
	}
	if none, err := ListTree(ctx, f, s, "20990101"); err != nil || len(none.Segments)+len(none.Strays)+len(none.Dirs) != 0 {
		t.Fatalf("missing folder: %+v, %v", none, err)
	}
}
