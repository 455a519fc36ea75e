package prune

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/layout"
)

// utc is the scheme tests use: the default layout, names in UTC, so the
// expectations do not depend on the machine's zone.
func utc(t testing.TB) *layout.Scheme {
	s, err := layout.New(layout.DefaultName, layout.DefaultDir, true)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// archiveStart is midnight of the first seeded day.
var archiveStart = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)

// seed writes days × perDay segments (5 minutes apart from archiveStart)
// below root in scheme s, each a few bytes, with the modification time of
// its name (so a reference tool selecting by age sees the same files).
// Returns the segment paths, oldest first.
func seed(t testing.TB, root string, s *layout.Scheme, days, perDay int) []string {
	t.Helper()
	var paths []string
	made := map[string]bool{}
	for d := 0; d < days; d++ {
		for i := 0; i < perDay; i++ {
			at := archiveStart.Add(time.Duration(d)*24*time.Hour + time.Duration(i)*5*time.Minute)
			rel, err := s.RemotePath(s.Name(at))
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(root, filepath.FromSlash(rel))
			if dir := filepath.Dir(p); !made[dir] {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				made[dir] = true
			}
			if err := os.WriteFile(p, []byte("segment"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Chtimes(p, at, at); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, rel)
		}
	}
	return paths
}

// writeFile writes a stray (or any) file below root.
func writeFile(t testing.TB, root, rel, body string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// files lists every file below root (slash paths) and every empty folder.
func files(t testing.TB, root string) (all []string, emptyDirs []string) {
	t.Helper()
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if !d.IsDir() {
			all = append(all, rel)
			return nil
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return err
		}
		if len(entries) == 0 && p != root {
			emptyDirs = append(emptyDirs, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(all)
	return all, emptyDirs
}

// newer keeps the paths whose name is at or after cut.
func newer(t testing.TB, s *layout.Scheme, paths []string, cut time.Time) []string {
	var out []string
	for _, p := range paths {
		at, ok := s.SegmentAt(p)
		if !ok {
			t.Fatalf("seeded %q does not parse", p)
		}
		if !at.Before(cut) {
			out = append(out, p)
		}
	}
	return out
}

// sameSet fails unless got and want hold the same paths.
func sameSet(t testing.TB, what string, got, want []string) {
	t.Helper()
	g := append([]string(nil), got...)
	w := append([]string(nil), want...)
	sort.Strings(g)
	sort.Strings(w)
	if strings.Join(g, "\n") == strings.Join(w, "\n") {
		return
	}
	gs, ws := map[string]bool{}, map[string]bool{}
	for _, p := range g {
		gs[p] = true
	}
	for _, p := range w {
		ws[p] = true
	}
	var extra, missing []string
	for _, p := range g {
		if !ws[p] {
			extra = append(extra, p)
		}
	}
	for _, p := range w {
		if !gs[p] {
			missing = append(missing, p)
		}
	}
	t.Fatalf("%s: %d files, want %d; unexpected %d (%s), missing %d (%s)", what, len(g), len(w),
		len(extra), head(extra), len(missing), head(missing))
}

func head(p []string) string {
	if len(p) > 5 {
		return strings.Join(p[:5], ", ") + ", …"
	}
	return strings.Join(p, ", ")
}
