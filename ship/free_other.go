//go:build !unix

package ship

// freeBytes is unknown here; --min-free then does nothing.
func freeBytes(dir string) (int64, bool) { return 0, false }
