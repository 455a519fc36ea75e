package supervisor

import (
	"github.com/camshare/camshare/internal/config"
	"github.com/camshare/camshare/internal/keys"
)

// archiveKey is the key every camera's footage is sealed with when the
// config says encrypt: true (made on first use), nil otherwise.
func archiveKey(cfg *config.Config) (*keys.Archive, error) {
	if !cfg.Encrypt {
		return nil, nil
	}
	return keys.LoadOrCreate(keys.ForConfig(cfg.KeyFile, cfg.Path))
}
