package logging

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestLoggerScrubsCredentials: issue 11 #3, the shipper's warning carried
// a connection string's pass=…; whatever a caller logs, the line is masked.
func TestLoggerScrubsCredentials(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		var b bytes.Buffer
		log, err := New(&b, Options{Format: format})
		if err != nil {
			t.Fatal(err)
		}
		spec := ":webdav,url=http://127.0.0.1:28080/,user=dav,pass=davpass:cams"
		log.With("remote", spec).Warn("remote failing rtsp://u:S3cr?t@cam/x",
			"err", errors.New(`remote "`+spec+`": connection refused`),
			"password", "hunter22", "group", map[string]string{"k": "v"})
		for _, s := range []string{"davpass", "S3cr?t", "hunter22"} {
			if strings.Contains(b.String(), s) {
				t.Errorf("%s: %q in %s", format, s, b.String())
			}
		}
		if !strings.Contains(b.String(), "connection refused") {
			t.Errorf("%s: the error itself is gone: %s", format, b.String())
		}
	}
}

// TestJSONDurationsReadable: issue 11 #16, JSON logs wrote 1500000000.
func TestJSONDurationsReadable(t *testing.T) {
	var b bytes.Buffer
	log, _ := New(&b, Options{Format: "json"})
	log.Info("shipped", "took", 1500*time.Millisecond)
	var line map[string]any
	if err := json.Unmarshal(b.Bytes(), &line); err != nil {
		t.Fatal(err)
	}
	if line["took"] != "1.5s" {
		t.Errorf("took = %v, want \"1.5s\"", line["took"])
	}
}
