package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/layout"
)

// seedFlat writes segments every 5 minutes from 3 days ago to 1 day ago in
// a flat folder, in the local zone as the recorder names them, leaving out
// the 20 minutes around the 2-day mark so a --keep 2d run is exact however
// long the test takes. Returns how many are older than 2 days.
func seedFlat(t *testing.T, dir string) (old, young int) {
	t.Helper()
	s, err := layout.New(layout.DefaultName, "", false)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().Truncate(5 * time.Minute)
	for at := now.Add(-72 * time.Hour); at.Before(now.Add(-24 * time.Hour)); at = at.Add(5 * time.Minute) {
		age := time.Since(at)
		if age > 48*time.Hour-10*time.Minute && age < 48*time.Hour+10*time.Minute {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, s.Name(at)), []byte("seg"), 0o644); err != nil {
			t.Fatal(err)
		}
		if age > 48*time.Hour {
			old++
		} else {
			young++
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	return old, young
}

func countFiles(t *testing.T, dir string) int {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

func TestPruneLocalCommand(t *testing.T) {
	dir := t.TempDir()
	old, young := seedFlat(t, dir)
	ctx := context.Background()

	var out, errOut bytes.Buffer
	if code := run(ctx, []string{"prune", "--local", dir, "--keep", "2d", "--dry-run"}, &out, &errOut); code != 0 {
		t.Fatalf("dry run exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "would delete") || countFiles(t, dir) != old+young+1 {
		t.Fatalf("dry run printed %q and left %d files", out.String(), countFiles(t, dir))
	}

	out.Reset()
	if code := run(ctx, []string{"prune", "--local", dir, "--keep", "2d", "--json"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var res struct {
		DeletedFiles int      `json:"deleted_files"`
		DeletedBytes int64    `json:"deleted_bytes"`
		Days         int      `json:"days"`
		Failed       []string `json:"failed"`
		DryRun       bool     `json:"dry_run"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("--json output %q: %v", out.String(), err)
	}
	if res.DeletedFiles != old || res.DeletedBytes != int64(old)*3 || res.DryRun || res.Failed == nil || res.Days < 1 {
		t.Fatalf("--json %+v, want %d deleted", res, old)
	}
	if n := countFiles(t, dir); n != young+1 {
		t.Fatalf("%d files left, want %d segments and notes.txt", n, young)
	}
}

func TestPruneLayoutFolder(t *testing.T) {
	dir := t.TempDir()
	s := layout.Default()
	at := time.Now().Add(-40 * 24 * time.Hour)
	rel, _ := s.RemotePath(s.Name(at))
	p := filepath.Join(dir, filepath.FromSlash(rel))
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte("seg"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"prune", dir, "--keep", "30d"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.HasPrefix(out.String(), "deleted 1 files, 3 B, 1 days") || countFiles(t, dir) != 0 {
		t.Fatalf("printed %q, left %d entries", out.String(), countFiles(t, dir))
	}
}

func TestPruneUsage(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"prune", "--keep", "30d"}, 2, "either REMOTE:FOLDER or --local"},
		{[]string{"prune", dir, "--local", dir, "--keep", "30d"}, 2, "either"},
		{[]string{"prune", "--local", dir}, 2, "--keep"},
		{[]string{"prune", "--local", dir, "--keep", "1m"}, 2, "--force"},
		{[]string{"prune", "--local", dir, "--keep", "3m", "--segment", "10m"}, 2, "--force"},
		{[]string{"prune", "--local", dir, "--keep", "soon"}, 2, "--keep"},
		{[]string{"prune", "--local", dir, "--keep", "30d", "--max-size", "lots"}, 2, "--max-size"},
		{[]string{"prune", "--local", filepath.Join(dir, "none"), "--keep", "30d"}, 1, "not a folder"},
		{[]string{"prune", "--local", dir, "--keep", "1m", "--force"}, 0, ""},
	} {
		var out, errOut bytes.Buffer
		code := run(context.Background(), tc.args, &out, &errOut)
		if code != tc.code || !strings.Contains(errOut.String(), tc.msg) {
			t.Errorf("%v: exit %d, %q; want %d and %q", tc.args, code, errOut.String(), tc.code, tc.msg)
		}
	}
}

// -v shows rclone's own info lines in every command, not only in ship
// (issue 9): here, rclone's "Deleted" line for each expired segment.
func TestPruneVerboseShowsRcloneLines(t *testing.T) {
	dir := t.TempDir()
	seedFlat(t, dir)
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"-v", "prune", "--local", dir, "--keep", "2d"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(errOut.String(), "component=rclone") || !strings.Contains(errOut.String(), "Deleted") {
		t.Fatalf("-v prune logged no rclone info lines:\n%s", errOut.String())
	}
}
