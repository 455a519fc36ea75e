package status

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestReportLive: status says whether someone watches a camera live and
// how far behind the camera its newest part reached the remote.
func TestReportLive(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	s := State{Updated: now, Cameras: []Camera{
		{Name: "garden", Connected: true, Since: now, Live: &Live{Watched: true, Delay: Duration(2500 * time.Millisecond), LastPart: now.Add(-time.Second)}},
		{Name: "door", Connected: true, Since: now, Live: &Live{}},
		{Name: "shed", Connected: true, Since: now},
	}}
	var b bytes.Buffer
	Report(&b, s, now, nil)
	out := b.String()
	for _, want := range []string{"live view: someone watching, 2.5s behind the camera (last part 1s ago)", "live view: nobody watching"} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "live view") != 2 {
		t.Errorf("a camera without a live view got a live line:\n%s", out)
	}
}
