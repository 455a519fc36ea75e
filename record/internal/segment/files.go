package segment

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/camshare/camshare/internal/layout"
)

// maxSuffix bounds the search for a free name; reaching it means something
// is badly wrong with the folder, not that a camera reconnected that often.
const maxSuffix = 10000

func exists(p string) bool {
	_, err := os.Lstat(p)
	return !errors.Is(err, fs.ErrNotExist)
}

// createTemp creates the temp file of the first free name among
// Unique(name, 0), Unique(name, 1), …: free means neither the closed name
// nor its temp name exists. O_EXCL makes the claim atomic.
func createTemp(dir string, scheme *layout.Scheme, name string) (*os.File, string, error) {
	for n := 0; n < maxSuffix; n++ {
		cand := scheme.Unique(name, n)
		if exists(filepath.Join(dir, cand)) {
			continue
		}
		f, err := os.OpenFile(filepath.Join(dir, scheme.TempName(cand)), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, "", fmt.Errorf("segment: create: %w", err)
		}
		return f, cand, nil
	}
	return nil, "", fmt.Errorf("segment: no free name for %s in %s", name, dir)
}

// finalName is the name a temp file is renamed to: want itself if no closed
// file has it, else the first Unique(base, n) taken by neither a closed
// file nor another temp file.
func finalName(dir string, scheme *layout.Scheme, base, want string) (string, error) {
	if !exists(filepath.Join(dir, want)) {
		return want, nil
	}
	for n := 1; n < maxSuffix; n++ {
		cand := scheme.Unique(base, n)
		if !exists(filepath.Join(dir, cand)) && !exists(filepath.Join(dir, scheme.TempName(cand))) {
			return cand, nil
		}
	}
	return "", fmt.Errorf("segment: no free name for %s in %s", want, dir)
}

// publish makes a finished temp file visible under its final name: fsync the
// data, rename, fsync the folder so the rename itself survives power loss.
// before (if set) runs with the final name just before the rename: what it
// writes beside the segment is there before the segment is.
func publish(f *os.File, tmp, dir string, scheme *layout.Scheme, base, want string, before func(name string)) (string, error) {
	if err := f.Sync(); err != nil {
		return "", also(fmt.Errorf("segment: sync: %w", err), closeFile(f))
	}
	if err := closeFile(f); err != nil {
		return "", err
	}
	name, err := finalName(dir, scheme, base, want)
	if err != nil {
		return "", err
	}
	if before != nil {
		before(name)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		return "", fmt.Errorf("segment: rename: %w", err)
	}
	return name, syncDir(dir)
}

// syncDir persists a folder's entries. Windows cannot fsync a folder and
// does not need to.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("segment: sync folder: %w", err)
	}
	if err := d.Sync(); err != nil {
		return also(fmt.Errorf("segment: sync folder: %w", err), d.Close())
	}
	return d.Close()
}
