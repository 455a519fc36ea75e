package keys

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestMadeOnFirstUsePrivateAndStable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "conf", FileName)
	a, err := LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, want 0600", st.Mode().Perm())
	}
	b, err := LoadOrCreate(path)
	if err != nil || b.Key != a.Key {
		t.Fatalf("second use made a different key (err %v)", err)
	}
	if Exported(path) {
		t.Fatal("a new key counts as exported")
	}
	if err := MarkExported(path); err != nil || !Exported(path) {
		t.Fatalf("MarkExported: %v", err)
	}
	if err := a.Save(false); err == nil {
		t.Fatal("Save(false) overwrote an existing key")
	}
}

func TestEncodeDecode(t *testing.T) {
	a, _ := LoadOrCreate(filepath.Join(t.TempDir(), FileName))
	s := Encode(a.Key)
	if len(s) != 43 {
		t.Fatalf("encoded key is %d characters", len(s))
	}
	k, err := Decode(s[:20] + " \n" + s[20:])
	if err != nil || k != a.Key {
		t.Fatalf("decode: %v", err)
	}
	if _, err := Decode(s[:42]); err == nil {
		t.Fatal("a short key decoded")
	}
}

func TestPassphraseKeyRecoversFromSalt(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	pass := "correct horse battery staple"
	start := time.Now()
	a, err := NewPassphraseKey(path, pass)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("argon2id took %v here", time.Since(start))
	if err := a.Save(false); err != nil {
		t.Fatal(err)
	}
	b, err := Load(path)
	if err != nil || b.Key != a.Key || b.Salt != a.Salt {
		t.Fatalf("reload: %v", err)
	}
	k, err := FromPassphrase(pass, b.Salt)
	if err != nil || k != a.Key {
		t.Fatalf("the passphrase and salt do not give the key back: %v", err)
	}
	other, _ := FromPassphrase(pass+"!", b.Salt)
	if other == a.Key {
		t.Fatal("a different passphrase gave the same key")
	}
	if _, err := FromPassphrase("short", b.Salt); err == nil {
		t.Fatal("a short passphrase was accepted")
	}
}
