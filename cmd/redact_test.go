package cmd

import (
	"strings"
	"testing"
)

// TestRecordURLPasswordNeverPrinted: issue 11 #2, a password with ? # or /
// was printed in "camera URL … is not valid".
func TestRecordURLPasswordNeverPrinted(t *testing.T) {
	for _, pw := range []string{"S3cr?t", "S3cr#t", "S3/cr"} {
		code, out, errs := runCmd(t, "record", "--url", "rtsp://user:"+pw+"@host:99999/stream", "--dir", t.TempDir())
		if code == 0 || strings.Contains(out+errs, pw) {
			t.Errorf("password %q: rc %d, output %q", pw, code, out+errs)
		}
	}
}
