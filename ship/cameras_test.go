package ship

import (
	"path/filepath"
	"testing"
)

// One shipper, two cameras, one remote: each camera's segments go to its
// own folder, in its own time order, and neither waits for the other.
func TestManyCameras(t *testing.T) {
	ctx := setup(t)
	sc := scheme(t)
	root := t.TempDir()
	dirs := map[string]string{"front": t.TempDir(), "garden": t.TempDir()}
	var sources []Source
	want := map[string]map[string][]byte{}
	for cam, dir := range dirs {
		want[cam] = map[string][]byte{}
		for i := range 4 {
			n, data := segment(t, dir, sc, 3-i, 10<<10) // written newest first
			want[cam][n] = data
		}
		sources = append(sources, Source{Name: cam, Dir: dir, Dest: open(t, ctx, filepath.Join(root, "cams", cam))})
	}
	s, shipped := running(t, ctx, Options{Sources: sources, Scheme: sc})
	eventually(t, "8 shipped", func() bool { return len(shipped.get()) == 8 })
	last := map[string]string{}
	for _, sh := range shipped.get() {
		n := filepath.Base(sh.Local)
		if n <= last[sh.Source] {
			t.Errorf("%s: %s shipped after %s", sh.Source, n, last[sh.Source])
		}
		last[sh.Source] = n
		if filepath.Dir(sh.Local) != dirs[sh.Source] {
			t.Errorf("%s reported for camera %s", sh.Local, sh.Source)
		}
	}
	for cam, files := range want {
		for n, data := range files {
			checkLanded(t, filepath.Join(root, "cams", cam), sc, n, data, dirs[cam])
		}
	}
	if st := s.Stats(); st.Shipped != 8 || st.Queued != 0 || st.LastShipped.IsZero() {
		t.Errorf("stats %+v", st)
	}
}
