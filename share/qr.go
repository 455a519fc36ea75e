package share

import (
	"fmt"
	"io"
	"strings"

	"rsc.io/qr"
)

// quiet is the light border around the code, in modules. The standard asks
// for 4; 2 keeps a long presigned URL inside an 80-column terminal and phone
// cameras still read it.
const quiet = 2

// WriteQR prints text as a QR code with Unicode half blocks (two modules per
// character cell, so it stays square). Light modules are drawn, dark ones
// left blank, as `qrencode -t UTF8` does: on the usual dark terminal
// background (Termux's) that gives dark modules on light.
func WriteQR(w io.Writer, text string) error {
	code, err := qr.Encode(text, qr.L) // lowest correction: presigned links are long
	if err != nil {
		return fmt.Errorf("qr code: %w", err)
	}
	light := func(x, y int) bool { return !code.Black(x, y) } // outside the code is quiet zone
	var b strings.Builder
	for y := -quiet; y < code.Size+quiet; y += 2 {
		for x := -quiet; x < code.Size+quiet; x++ {
			top, bottom := light(x, y), light(x, y+1)
			if y+1 >= code.Size+quiet {
				bottom = false // the last odd row: nothing below
			}
			switch {
			case top && bottom:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bottom:
				b.WriteString("▄")
			default:
				b.WriteString(" ")
			}
		}
		b.WriteString("\n")
	}
	_, err = io.WriteString(w, b.String())
	return err
}
