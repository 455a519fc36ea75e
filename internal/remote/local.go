package remote

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/camshare/camshare/internal/redact"
	"github.com/rclone/rclone/fs"
)

// OpenLocal opens a local folder as an rclone remote (so moves out of it are
// verified like any other), whatever its name holds: ":local:" keeps a colon
// in a folder name from reading as a remote.
func OpenLocal(ctx context.Context, dir string) (fs.Fs, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("folder %q: %v", dir, err)
	}
	if st, err := os.Stat(abs); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("%q is not a folder", dir)
	}
	f, err := fs.NewFs(ctx, ":local:"+abs)
	if err != nil {
		return nil, fmt.Errorf("folder %q: %v", dir, redact.Line(err))
	}
	return f, nil
}

// explicitLocal: a spec without a remote name must say it is a local path
// (/…, ./…, ../…, C:\…). A bare word is far more often a remote name missing
// its colon (gdrive for gdrive:) than a folder someone meant to fill in the
// current directory.
func explicitLocal(spec string) bool {
	if filepath.IsAbs(spec) || spec == "." || spec == ".." {
		return true
	}
	for _, p := range []string{"./", "../", `.\`, `..\`} {
		if strings.HasPrefix(spec, p) {
			return true
		}
	}
	return false
}
