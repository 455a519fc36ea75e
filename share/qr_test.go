package share

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// What share --qr prints, drawn as a light terminal shows it (blocks in
// black on white), must decode with zbarimg to the very link, and keep the
// standard's 4-module quiet zone.
func TestWriteQRDecodes(t *testing.T) {
	text := "http://127.0.0.1:9000/bucket/garden/share/abc/index.html?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=604800&X-Amz-Signature=" + strings.Repeat("ab", 32)
	var out strings.Builder
	if err := WriteQR(&out, text); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	for _, l := range lines[:2] { // 4 quiet modules = 2 text rows
		if strings.TrimSpace(l) != "" {
			t.Fatalf("quiet zone has marks: %q", l)
		}
	}
	const px = 4 // pixels per module
	w := len([]rune(lines[0]))
	img := image.NewGray(image.Rect(0, 0, w*px, len(lines)*2*px))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for row, line := range lines {
		for col, c := range []rune(line) {
			top, bottom := c == '█' || c == '▀', c == '█' || c == '▄'
			for dy := 0; dy < 2*px; dy++ {
				if (dy < px && top) || (dy >= px && bottom) {
					for dx := 0; dx < px; dx++ {
						img.SetGray(col*px+dx, row*2*px+dy, color.Gray{})
					}
				}
			}
		}
	}
	file := filepath.Join(t.TempDir(), "qr.png")
	fh, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(fh, img); err != nil {
		t.Fatal(err)
	}
	fh.Close()
	got, err := exec.Command("zbarimg", "--raw", "-q", file).Output()
	if err != nil {
		t.Fatalf("zbarimg could not read the code: %v", err)
	}
	if strings.TrimSpace(string(got)) != text {
		t.Fatalf("zbarimg read %q", got)
	}
}
