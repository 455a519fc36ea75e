package config

import (
	"testing"
)

// An encrypted archive may have the live page: it decrypts in the browser
// (issue 12), its index goes up sealed.
func TestEncryptWithLivePage(t *testing.T) {
	base := "remote: r:cams\ncameras:\n  - name: door\n    url: rtsp://127.0.0.1/x\n"
	c, err := Parse([]byte(base+"encrypt: true\nkey_file: /k/archive.key\n"), "/etc/camshare/config.yaml")
	if err != nil || !c.Encrypt || c.KeyFile != "/k/archive.key" {
		t.Fatalf("encrypt: %+v %v", c, err)
	}
	c, err = Parse([]byte(base+"encrypt: true\nlive:\n  enabled: true\n"), "/etc/camshare/config.yaml")
	if err != nil || !c.Encrypt || !c.Live.Enabled {
		t.Fatalf("encrypt with a live page: %+v %v", c, err)
	}
}
