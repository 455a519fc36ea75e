package browsertest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// OpenPage writes html as dir/index.html, serves dir over HTTP on
// 127.0.0.1 (media next to the page load as a browser loads them from a
// web server) and opens the page. Everything is closed when the test ends.
func OpenPage(ctx context.Context, t testing.TB, dir, html string) *Browser {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	b, err := Start(ctx, srv.URL+"/index.html")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}
