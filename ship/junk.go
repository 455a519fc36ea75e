package ship

import (
	"io"
	"os"
	"time"
)

// unsure: a file that may still be being copied in; look again later.
const unsure = "unsure"

// settle is how long a file that does not look like footage may still be
// growing (copied in by hand) before it is called junk.
const settle = 10 * time.Second

// notFootage says why a regular file with a segment's name is not an MP4
// segment ("" when it is one): every segment starts with an ISO-BMFF "ftyp"
// box, so a 0-byte or 5-byte file, or a renamed text file, is junk and must
// not reach the archive as footage.
func notFootage(path string, st os.FileInfo) string {
	head := make([]byte, 8)
	f, err := os.Open(path)
	if err != nil {
		return "" // unreadable: the attempt reports it as such
	}
	n, _ := io.ReadFull(f, head)
	f.Close()
	if n == 8 && string(head[4:8]) == "ftyp" {
		return ""
	}
	if time.Since(st.ModTime()) < settle {
		return unsure
	}
	if st.Size() < 8 {
		return "it is too small to be a segment"
	}
	return "it does not start like an MP4 file"
}
