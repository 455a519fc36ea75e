package segment

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// FuzzRecover tears and bit-flips a real crashed segment (3 s of H.264 and
// AAC, as a kill -9 leaves it) and recovers it: never a panic or an error,
// never a temp file left behind (it is published, or reported removed), and never a complete fragment lost: every
// fragment wholly before the first damaged byte is in the published file,
// byte for byte. cut is where the file ends (modulo its length + 1); each 4
// bytes of flips are an offset (3 bytes) and an XOR mask. Run as a test
// (the seeds and testdata), each published file must also open in ffprobe
// and, if no damage reached what was kept, decode with ffmpeg without a
// word; while fuzzing, the in-process checks alone keep it fast.
func FuzzRecover(f *testing.F) {
	base, tmpName := crashedBytes(f)
	moovEnd, fragEnds := layoutOf(f, base)
	f.Add(uint32(len(base)), []byte{})
	f.Add(uint32(fragEnds[1]+9), []byte{})                                                             // torn inside the third fragment's moof
	f.Add(uint32(len(base)), []byte{0, 0, 3, 0x10})                                                    // the ftyp's size
	f.Add(uint32(len(base)), []byte{byte(moovEnd >> 16), byte(moovEnd >> 8), byte(moovEnd + 2), 0x80}) // a moof's size
	f.Add(uint32(len(base)-1), []byte{byte(fragEnds[0] >> 16), byte(fragEnds[0] >> 8), byte(fragEnds[0] + 30), 0x01})
	fuzzing := flag.Lookup("test.fuzz").Value.String() != ""
	scheme := utcScheme(f)
	f.Fuzz(func(t *testing.T, cut uint32, flips []byte) {
		data := append([]byte(nil), base[:int(cut)%(len(base)+1)]...)
		intact := len(data) // bytes before the first damaged one
		for i := 0; i+4 <= len(flips) && len(data) > 0; i += 4 {
			off := (int(flips[i])<<16 | int(flips[i+1])<<8 | int(flips[i+2])) % len(data)
			mask := flips[i+3] | 1
			data[off] ^= mask
			intact = min(intact, off)
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, tmpName), data, 0o644); err != nil {
			t.Fatal(err)
		}
		rec, err := RecoverAll(dir, scheme)
		if err != nil {
			t.Fatalf("Recover: %v", err)
		}
		infos := rec.Segments
		if len(infos)+len(rec.Removed) != 1 || len(rec.Removed) == 1 && rec.Removed[0] != tmpName {
			t.Fatalf("recovered %+v, removed %v: want one of them to name %s", infos, rec.Removed, tmpName)
		}
		if _, err := os.Stat(filepath.Join(dir, tmpName)); !os.IsNotExist(err) {
			t.Fatalf("temp file left behind (%v), recovered %+v", err, infos)
		}
		kept := moovEnd // the end of the last fragment that must survive
		for _, e := range fragEnds {
			if e <= intact {
				kept = e
			}
		}
		if len(infos) == 0 {
			if kept > moovEnd && intact >= moovEnd {
				t.Fatalf("removed, though %d intact bytes hold complete fragments up to %d", intact, kept)
			}
			return
		}
		got, err := os.ReadFile(infos[0].Path)
		if err != nil {
			t.Fatal(err)
		}
		if len(infos) != 1 || infos[0].Size != int64(len(got)) || len(got) > len(data) {
			t.Fatalf("recovered %+v from %d bytes, file %d bytes", infos, len(data), len(got))
		}
		if intact >= moovEnd && (len(got) < kept || !bytes.Equal(got[moovEnd:kept], base[moovEnd:kept])) {
			t.Fatalf("kept %d bytes, want the fragments up to %d intact (damage from %d)", len(got), kept, intact)
		}
		if !fuzzing {
			ffprobe(t, infos[0].Path)
			if intact >= len(got) {
				decodes(t, infos[0].Path)
			}
		}
	})
}

// crashedBytes is a 3 s H.264+AAC segment as a crash leaves it (complete
// fragments, durations unpatched, still a temp file), and its name.
func crashedBytes(f *testing.F) ([]byte, string) {
	dir := f.TempDir()
	m := clip(f, "libx264", 3, true)
	w := record(f, dir, utcScheme(f), testStart, m, 0)
	if err := w.Abort(); err != nil {
		f.Fatal(err)
	}
	name := utcScheme(f).TempName(w.Name())
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		f.Fatal(err)
	}
	return b, name
}

// layoutOf finds where a segment's moov ends and each moof+mdat ends.
func layoutOf(f *testing.F, b []byte) (moovEnd int, fragEnds []int) {
	for off := 0; ; {
		bx, ok := nextBox(b, off)
		if !ok {
			break
		}
		switch bx.typ {
		case "moov":
			moovEnd = bx.end
		case "mdat":
			fragEnds = append(fragEnds, bx.end)
		}
		off = bx.end
	}
	if moovEnd == 0 || len(fragEnds) < 2 || fragEnds[len(fragEnds)-1] != len(b) {
		f.Fatalf("crashed segment: moov to %d, fragments to %v, %d bytes", moovEnd, fragEnds, len(b))
	}
	return moovEnd, fragEnds
}
