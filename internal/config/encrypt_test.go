package config

import (
	"strings"
	"testing"
)

func TestEncryptWithLivePageRefused(t *testing.T) {
	base := "remote: r:cams\ncameras:\n  - name: door\n    url: rtsp://127.0.0.1/x\n"
	c, err := Parse([]byte(base+"encrypt: true\nkey_file: /k/archive.key\n"), "/etc/camshare/config.yaml")
	if err != nil || !c.Encrypt || c.KeyFile != "/k/archive.key" {
		t.Fatalf("encrypt: %+v %v", c, err)
	}
	_, err = Parse([]byte(base+"encrypt: true\nlive:\n  enabled: true\n"), "/etc/camshare/config.yaml")
	if err == nil || !strings.Contains(err.Error(), "cannot play encrypted footage yet") {
		t.Fatalf("encrypt with a live page: %v", err)
	}
}
