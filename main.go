// Command camshare turns an IP camera plus a small always-on machine into an
// off-site, shareable camera archive. See README.md.
package main

import (
	"os"

	"github.com/camshare/camshare/cmd"
)

func main() {
	os.Exit(cmd.Execute())
}
