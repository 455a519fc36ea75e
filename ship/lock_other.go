//go:build !unix

package ship

// lockDir is a no-op where flock is missing (Windows): one shipper per
// folder is then the user's to ensure.
func lockDir(dir string) (unlock func(), err error) { return func() {}, nil }
