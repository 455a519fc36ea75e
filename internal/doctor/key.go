package doctor

import (
	"fmt"

	"github.com/camshare/camshare/internal/keys"
)

// checkKey: with encrypt: true the archive key is the only way to read the
// footage, so losing the phone must not lose it. Warn until a person has
// been shown it for safe keeping (camshare key show).
func checkKey(o Options) []Result {
	cfg := o.Config
	if !cfg.Encrypt {
		return nil
	}
	r := Result{Name: "archive key"}
	path := keys.ForConfig(cfg.KeyFile, cfg.Path)
	a, err := keys.Load(path)
	switch {
	case err != nil:
		r.Level, r.Detail = Info, "not made yet: the first encrypted upload makes it at "+path
		r.Hint = "after the first upload, run 'camshare key show --qr' and keep the key somewhere safe"
	case !keys.Exported(path):
		r.Level, r.Detail = Warn, "never exported: if this device is lost, the encrypted footage is lost with it"
		r.Hint = "run 'camshare key show --qr' and keep the key (or a photo of the code) somewhere safe"
	default:
		kind := "random"
		if a.Passphrase() {
			kind = "from a passphrase"
		}
		r.Level, r.Detail = Pass, fmt.Sprintf("%s key at %s, exported", kind, path)
	}
	return []Result{r}
}
