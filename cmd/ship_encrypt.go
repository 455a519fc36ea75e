package cmd

import (
	"github.com/camshare/camshare/internal/keys"
)

// shipKey is the archive key ship --encrypt seals with, made on first use.
func shipKey(g *globals, kf *keyFlags) (*keys.Archive, error) {
	path, err := kf.path(g)
	if err != nil {
		return nil, err
	}
	return keys.LoadOrCreate(path)
}
