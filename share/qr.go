package share

import (
	"fmt"
	"io"
	"strings"

	"rsc.io/qr"
)

// quiet is the light border around the code, in modules: the 4 the
// standard asks for (readers such as zbarimg need it).
const quiet = 4

// WriteQR prints text as a QR code with Unicode half blocks (two modules per
// character cell, so it stays square). Dark modules are drawn, light ones
// and the quiet zone left blank: on a light terminal (and printed) that is
// the code as the standard has it. On a dark terminal the code shows
// inverted; phone cameras read that too.
func WriteQR(w io.Writer, text string) error {
	code, err := qr.Encode(text, qr.L) // lowest correction: presigned links are long
	if err != nil {
		return fmt.Errorf("qr code: %w", err)
	}
	dark := func(x, y int) bool { return code.Black(x, y) } // false outside the code: quiet zone
	var b strings.Builder
	for y := -quiet; y < code.Size+quiet; y += 2 {
		for x := -quiet; x < code.Size+quiet; x++ {
			top, bottom := dark(x, y), dark(x, y+1)
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
