package share

import (
	"strings"
	"testing"

	"rsc.io/qr"
)

// The half-block drawing must carry every module: read it back and compare
// with the encoder's own grid.
func TestWriteQRRoundTrip(t *testing.T) {
	text := "http://127.0.0.1:9000/bucket/garden/index.html?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=604800&X-Amz-Signature=" + strings.Repeat("ab", 32)
	var out strings.Builder
	if err := WriteQR(&out, text); err != nil {
		t.Fatal(err)
	}
	code, err := qr.Encode(text, qr.L)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	side := code.Size + 2*quiet
	if len(lines) != (side+1)/2 {
		t.Fatalf("%d lines for %d modules", len(lines), side)
	}
	for row, line := range lines {
		cells := []rune(line)
		if len(cells) != side {
			t.Fatalf("line %d is %d wide, want %d", row, len(cells), side)
		}
		for col, c := range cells {
			x, y := col-quiet, 2*row-quiet
			top := c == '█' || c == '▀'
			bottom := c == '█' || c == '▄'
			if top != !code.Black(x, y) {
				t.Fatalf("module (%d,%d) wrong", x, y)
			}
			if y+1 < code.Size+quiet && bottom != !code.Black(x, y+1) {
				t.Fatalf("module (%d,%d) wrong", x, y+1)
			}
		}
	}
}
