package layout

import (
	"path"
	"testing"
	"time"
)

func TestDefaultRoundTrip(t *testing.T) {
	s, err := New(DefaultName, DefaultDir, false)
	if err != nil {
		t.Fatal(err)
	}
	est := time.FixedZone("EST", -5*3600)
	at := time.Date(2024, 3, 23, 10, 20, 0, 0, est)
	s.loc = est
	name := s.Name(at)
	if name != "20240323T102000-0500.mp4" {
		t.Fatalf("name = %q", name)
	}
	p, err := s.RemotePath(name)
	if err != nil || p != "20240323/10/20240323T102000-0500.mp4" {
		t.Fatalf("remote path = %q, %v", p, err)
	}
	got, ok := s.SegmentAt(p)
	if !ok || !got.Equal(at) {
		t.Fatalf("time of path = %v, %v", got, ok)
	}
}

// The folder comes from the digits in the name, not the machine's zone: an
// archive written in -0500 lands in the same folders wherever it is shipped.
func TestDirUsesNameZone(t *testing.T) {
	s, _ := New(DefaultName, DefaultDir, true)
	p, err := s.RemotePath("20240323T235500+0900.mp4")
	if err != nil || p != "20240323/23/20240323T235500+0900.mp4" {
		t.Fatalf("remote path = %q, %v", p, err)
	}
}

func TestUniqueAndTemp(t *testing.T) {
	s, _ := New(DefaultName, DefaultDir, true)
	at := time.Date(2024, 3, 23, 10, 20, 0, 0, time.UTC)
	name := s.Name(at)
	if name != "20240323T102000+0000.mp4" {
		t.Fatalf("name = %q", name)
	}
	u := s.Unique(name, 2)
	if u != "20240323T102000+0000_2.mp4" {
		t.Fatalf("unique = %q", u)
	}
	if got, ok := s.Time(u); !ok || !got.Equal(at) {
		t.Fatalf("time of unique = %v %v", got, ok)
	}
	if got, ok := s.Time(s.Unique(u, 1)); !ok || !got.Equal(at) {
		t.Fatalf("a collision of a collision must still parse: %v %v", got, ok)
	}
	us, _ := New("cam_%Y%m%d_%H%M%S.mp4", "", true)
	if got, ok := us.Time("cam_20240323_102000_3.mp4"); !ok || !got.Equal(at) {
		t.Fatalf("suffix after a stem ending in _digits: %v %v", got, ok)
	}
	tmp := s.TempName(u)
	if tmp != "20240323T102000+0000_2.tmp" {
		t.Fatalf("tmp = %q", tmp)
	}
	if _, ok := s.Time(tmp); ok {
		t.Fatal("a temp name must not parse as a segment")
	}
	back, ok := s.FromTemp(tmp)
	if !ok || back != u {
		t.Fatalf("from temp = %q %v", back, ok)
	}
}

func TestRejectsStrays(t *testing.T) {
	s := Default()
	for _, n := range []string{"index.html", "notes.txt", "20240323T102000-0500.mp4.part",
		"20240230T102000-0500.mp4", "20241323T102000-0500.mp4", "x20240323T102000-0500.mp4", ""} {
		if _, ok := s.Time(n); ok {
			t.Errorf("%q parsed as a segment", n)
		}
	}
}

func TestDirSpan(t *testing.T) {
	s, _ := New(DefaultName, DefaultDir, true)
	start, end, ok := s.DirSpan("20240323")
	if !ok || !start.Equal(time.Date(2024, 3, 23, 0, 0, 0, 0, time.UTC)) || end.Sub(start) != 24*time.Hour {
		t.Fatalf("day span = %v %v %v", start, end, ok)
	}
	start, end, ok = s.DirSpan("20240323/10")
	if !ok || start.Hour() != 10 || end.Sub(start) != time.Hour {
		t.Fatalf("hour span = %v %v %v", start, end, ok)
	}
	for _, bad := range []string{"", "2024032", "20240323/1x", "20240323/10/00", "index.html"} {
		if _, _, ok := s.DirSpan(bad); ok {
			t.Errorf("%q parsed as a folder", bad)
		}
	}
}

func TestCustomPatterns(t *testing.T) {
	s, err := New("cam-%s.mp4", "%Y/%m/%d", true)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 3, 23, 10, 20, 0, 0, time.UTC)
	p, err := s.RemotePath(s.Name(at))
	if err != nil || p != "2024/03/23/cam-1711189200.mp4" {
		t.Fatalf("path = %q %v", p, err)
	}
	for _, bad := range [][2]string{{"%Y%m%d.mp4", ""}, {"%Y%m%dT%H%M%S", ""}, {"%Q%s.mp4", ""}, {DefaultName, "%Y/x"}} {
		if _, err := New(bad[0], bad[1], false); err == nil {
			t.Errorf("New(%q, %q) accepted", bad[0], bad[1])
		}
	}
}

func FuzzTime(f *testing.F) {
	f.Add("20240323T102000-0500.mp4")
	f.Add("20240323T102000-0500_12.mp4")
	s := Default()
	f.Fuzz(func(t *testing.T, name string) {
		at, ok := s.Time(name)
		if !ok {
			return
		}
		if _, err := s.RemotePath(name); err != nil {
			t.Fatalf("parsed %q (%v) but no remote path: %v", name, at, err)
		}
	})
}

func TestCollisionPath(t *testing.T) {
	s, err := New(DefaultName, DefaultDir, true)
	if err != nil {
		t.Fatal(err)
	}
	name := s.Name(time.Date(2024, 3, 23, 10, 58, 0, 0, time.UTC))
	want, _ := s.RemotePath(name)
	if got, _ := s.CollisionPath(name, 0); got != want {
		t.Errorf("n=0: %q, want %q", got, want)
	}
	got, err := s.CollisionPath(name, 2)
	if err != nil || path.Dir(got) != path.Dir(want) || path.Base(got) != s.Unique(name, 2) {
		t.Errorf("n=2: %q %v, want %s beside %q", got, err, s.Unique(name, 2), want)
	}
}

func TestSegmentAtAndCameraFolder(t *testing.T) {
	s := Default()
	at := time.Date(2024, 3, 23, 10, 5, 0, 0, time.Local)
	name := s.Name(at)
	for _, tc := range []struct {
		p  string
		ok bool
	}{
		{s.Dir(at) + "/" + name, true},
		{name, false},                       // one level too high
		{"20240323/" + name, false},         // too high too
		{"20240323/xx/" + name, false},      // a folder that does not parse
		{s.Dir(at) + "/notes.txt", false},   // a stray
		{s.Dir(at) + "/sub/" + name, false}, // too deep
	} {
		if _, ok := s.SegmentAt(tc.p); ok != tc.ok {
			t.Errorf("SegmentAt(%q) = %v, want %v", tc.p, ok, tc.ok)
		}
	}
	if _, ok := s.Flat().SegmentAt(name); !ok {
		t.Errorf("a flat scheme reads a bare name")
	}
	for spec, want := range map[string]string{"r:": "r:door", "r:cams": "r:cams/door", "r:cams/": "r:cams/door", ":s3,provider=Rclone:b": ":s3,provider=Rclone:b/door"} {
		if got, err := CameraFolder(spec, "door"); err != nil || got != want {
			t.Errorf("CameraFolder(%q) = %q, %v; want %q", spec, got, err, want)
		}
	}
	for _, bad := range []string{"", "..", "a/b", `a\b`} {
		if _, err := CameraFolder("r:", bad); err == nil {
			t.Errorf("CameraFolder accepted camera %q", bad)
		}
	}
}

func TestSidecarAndTimelapseNames(t *testing.T) {
	s, _ := New(DefaultName, DefaultDir, true)
	seg := "20240323T102000+0000_1.mp4"
	if got := s.Sidecar(seg); got != "20240323T102000+0000_1.json" {
		t.Fatalf("sidecar = %q", got)
	}
	if back, ok := s.SidecarOf("20240323T102000+0000_1.json"); !ok || back != seg {
		t.Fatalf("sidecar of = %q %v", back, ok)
	}
	for _, n := range []string{"notes.json", "20240323T102000+0000.mp4", "x.json"} {
		if _, ok := s.SidecarOf(n); ok {
			t.Errorf("%q taken for a sidecar", n)
		}
	}
	if _, ok := s.Time(s.Sidecar(seg)); ok {
		t.Fatal("a sidecar must not list as a segment")
	}
	if _, ok := s.SegmentAt("20240323/10/20240323T102000+0000.json"); ok {
		t.Fatal("a sidecar path must not list as a segment")
	}
	p, at, ok := s.SidecarAt("20240323/10/20240323T102000+0000.json")
	if !ok || p != "20240323/10/20240323T102000+0000.mp4" || at.Hour() != 10 {
		t.Fatalf("sidecar at = %q %v %v", p, at, ok)
	}
	day := time.Date(2024, 3, 23, 0, 0, 0, 0, time.UTC)
	local := s.TimelapseLocal(day)
	if local != "timelapse-20240323.mp4" {
		t.Fatalf("local timelapse = %q", local)
	}
	if d, closed, ok := s.TimelapseOfLocal(local); !ok || !closed || !d.Equal(day) {
		t.Fatalf("of local = %v %v %v", d, closed, ok)
	}
	if _, closed, ok := s.TimelapseOfLocal(s.TempName(local)); !ok || closed {
		t.Fatal("the temp name of a timelapse is one, not closed")
	}
	if _, ok := s.Time(local); ok {
		t.Fatal("a timelapse must not list as a segment")
	}
	rp := s.TimelapsePath(day, "door")
	if rp != "20240323/timelapse-door.mp4" {
		t.Fatalf("remote timelapse = %q", rp)
	}
	if d, ok := s.TimelapseAt(rp); !ok || !d.Equal(day) {
		t.Fatalf("timelapse at = %v %v", d, ok)
	}
	if _, ok := s.TimelapseAt("20240323/10/timelapse-door.mp4"); ok {
		t.Fatal("a timelapse one level too deep is not one")
	}
	flat := s.Flat()
	if fp := flat.TimelapsePath(day, "door"); fp != "timelapse-door-20240323.mp4" {
		t.Fatalf("flat = %q", fp)
	} else if d, ok := flat.TimelapseAt(fp); !ok || !d.Equal(day) {
		t.Fatalf("flat timelapse at = %v %v", d, ok)
	}
}
