package activity

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The fixtures and their truth are made by testdata/make-activity-fixtures.sh.
const (
	fixtureDir = "../../../testdata/activity"
	fixtureFPS = 15
	// tolerance: a second found active counts as right when a truly active
	// second is this close, and a truly active second counts as found when a
	// second found active is this close (the issue's ±2 s).
	tolerance = 2
)

// TestFixtures runs the Meter at default sensitivity over every fixture and
// checks recall and precision of active seconds against truth.txt.
func TestFixtures(t *testing.T) {
	truth := readTruth(t)
	var tp, found, hit, real int
	for _, name := range sortedKeys(truth) {
		want := truth[name]
		got := meterSeconds(t, filepath.Join(fixtureDir, name+".h264"))
		t.Logf("%-12s truth %v found %v", name, keys(want), keys(got))
		for s := range got {
			found++
			if near(want, s) {
				tp++
			}
		}
		for s := range want {
			real++
			if near(got, s) {
				hit++
			}
		}
	}
	recall := float64(hit) / float64(real)
	precision := 1.0
	if found > 0 {
		precision = float64(tp) / float64(found)
	}
	fmt.Printf("activity fixtures: recall %.2f (%d of %d active seconds found), precision %.2f (%d of %d found seconds right), ±%d s\n",
		recall, hit, real, precision, tp, found, tolerance)
	if recall < 0.9 || precision < 0.8 {
		t.Errorf("recall %.2f (want ≥ 0.9), precision %.2f (want ≥ 0.8)", recall, precision)
	}
}

// meterSeconds feeds a fixture's frames to a Meter and returns the active
// seconds.
func meterSeconds(t *testing.T, path string) map[int64]bool {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := New(0)
	for i, au := range accessUnits(data) {
		pos := time.Duration(i) * time.Second / fixtureFPS
		m.Frame(pos, au.size, au.key)
	}
	m.Flush()
	active := map[int64]bool{}
	for _, s := range m.Take() {
		if s.Active {
			active[s.Index] = true
		}
	}
	return active
}

type accessUnit struct {
	size int
	key  bool
}

// accessUnits splits an Annex-B H.264 stream at its access unit delimiters
// (the fixtures have one before every picture), as the camera would packetize
// them: the size is that of the NAL units without start codes or the AUD.
func accessUnits(data []byte) []accessUnit {
	var out []accessUnit
	for _, n := range nalUnits(data) {
		switch n[0] & 0x1f {
		case 9: // access unit delimiter
			out = append(out, accessUnit{})
			continue
		case 5:
			out[len(out)-1].key = true
		}
		out[len(out)-1].size += len(n)
	}
	return out
}

func nalUnits(data []byte) [][]byte {
	var out [][]byte
	for len(data) > 0 {
		i := bytes.Index(data, []byte{0, 0, 1})
		if i < 0 {
			break
		}
		data = data[i+3:]
		end := bytes.Index(data, []byte{0, 0, 1})
		if end < 0 {
			end = len(data)
		}
		n := bytes.TrimRight(data[:end], "\x00")
		if len(n) > 0 {
			out = append(out, n)
		}
		data = data[end:]
	}
	return out
}

// readTruth reads truth.txt: "NAME FROM-TO ..." with [from,to) second ranges.
func readTruth(t *testing.T) map[string]map[int64]bool {
	t.Helper()
	f, err := os.Open(filepath.Join(fixtureDir, "truth.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	truth := map[string]map[int64]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		secs := map[int64]bool{}
		for _, r := range fields[1:] {
			from, to, ok := strings.Cut(r, "-")
			a, err1 := strconv.ParseInt(from, 10, 64)
			b, err2 := strconv.ParseInt(to, 10, 64)
			if !ok || err1 != nil || err2 != nil || b <= a {
				t.Fatalf("truth.txt: bad range %q", r)
			}
			for s := a; s < b; s++ {
				secs[s] = true
			}
		}
		truth[fields[0]] = secs
	}
	if len(truth) == 0 {
		t.Fatal("truth.txt is empty")
	}
	return truth
}

func near(set map[int64]bool, s int64) bool {
	for d := int64(-tolerance); d <= tolerance; d++ {
		if set[s+d] {
			return true
		}
	}
	return false
}
