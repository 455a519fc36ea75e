package share

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/remote"
)

// Item 14: --page on a provider whose links open its own viewer is refused
// with a sentence that names what works; its per-segment links still are
// fine. The remotes are opened for real (rclone's own backends, no network
// needed to open them); the refusal comes before anything is listed.
func TestPageRefusedOnViewerLinks(t *testing.T) {
	ctx := context.Background()
	token := `{"access_token":"x","token_type":"Bearer","refresh_token":"y","expiry":"2099-01-01T00:00:00Z"}`
	for name, spec := range map[string]string{
		"Dropbox":      `:dropbox,token='` + token + `':camera`,
		"Google Drive": `:drive,root_folder_id=abc,token='` + token + `':camera`,
	} {
		t.Run(name, func(t *testing.T) {
			f, err := remote.Open(ctx, spec)
			if err != nil {
				t.Fatalf("open %s: %v", name, err)
			}
			_, err = Publish(ctx, Options{Dest: f, Window: time.Hour})
			var refused *PageRefusedError
			if !errors.As(err, &refused) {
				t.Fatalf("err = %v, want a refusal", err)
			}
			for _, want := range []string{name, "S3-compatible", "without --page"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("refusal %q lacks %q", err, want)
				}
			}
		})
	}
}
