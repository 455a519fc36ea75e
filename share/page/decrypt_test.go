// Package page holds the share page's files; this test checks decrypt.js
// in a real browser against vectors made by the Go sealer.
package page

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/camshare/camshare/internal/seal"
	"github.com/camshare/camshare/internal/testkit/browsertest"
	"github.com/camshare/camshare/internal/testkit/samplemp4"
)

const harness = `<!doctype html><meta charset="utf-8"><title>decrypt.js</title>
<script type="module">
import { openSealed, fetchSealed, keyFromFragment, SealError } from "./decrypt.js";
const v = await (await fetch("vectors.json")).json();
const hex = (b) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, "0")).join("");
async function run(c) {
  const keys = c.fileKey ? { fileKey: keyFromFragment("#k=" + c.fileKey) } : { archiveKey: keyFromFragment("#k=" + c.key) };
  try {
    const res = await fetch(c.file);
    let n = 0, parts = [];
    for await (const p of openSealed(res.body, keys)) { parts.push(p); n++; }
    const blob = await new Blob(parts).arrayBuffer();
    return { ok: hex(await crypto.subtle.digest("SHA-256", blob)), chunks: n };
  } catch (e) {
    return { kind: e instanceof SealError ? e.kind : "other: " + e };
  }
}
const out = {};
for (const c of v) out[c.name] = await run(c);
const blob = await fetchSealed("good.sealed", { archiveKey: keyFromFragment("#k=" + v[0].key) });
out.blob = { ok: hex(await crypto.subtle.digest("SHA-256", await blob.arrayBuffer())) };
window.results = out;
</script>`

type vector struct {
	Name    string `json:"name"`
	File    string `json:"file"`
	Key     string `json:"key,omitempty"`
	FileKey string `json:"fileKey,omitempty"`
}

// The module decrypts the Go sealer's output byte-exact (with the archive
// key or just the file key, streamed or as a Blob) and gives each failure
// its own kind.
func TestDecryptJSInChromium(t *testing.T) {
	dir := t.TempDir()
	plain := samplemp4.Write(t, filepath.Join(t.TempDir(), "sample.mp4"))
	var key, other seal.Key
	rand.Read(key[:])
	rand.Read(other[:])
	r, err := seal.Encrypt(bytes.NewReader(plain), key, seal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	good, _ := io.ReadAll(r)
	h, _ := seal.ReadHeader(bytes.NewReader(good))
	fileKey, err := h.FileKey(key)
	if err != nil {
		t.Fatal(err)
	}
	tampered := bytes.Clone(good)
	tampered[seal.HeaderSize+seal.ChunkSize+100] ^= 0x40
	chunk := seal.ChunkSize + 16
	files := map[string][]byte{
		"good.sealed":      good,
		"tampered.sealed":  tampered,
		"truncated.sealed": good[:seal.HeaderSize+2*chunk],
		"plain.mp4":        plain,
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	js, err := os.ReadFile("decrypt.js")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "decrypt.js"), js, 0o644)
	enc := func(k seal.Key) string { return base64.RawURLEncoding.EncodeToString(k[:]) }
	vs := []vector{
		{Name: "good", File: "good.sealed", Key: enc(key)},
		{Name: "good-file-key", File: "good.sealed", FileKey: enc(fileKey)},
		{Name: "tampered", File: "tampered.sealed", Key: enc(key)},
		{Name: "truncated", File: "truncated.sealed", Key: enc(key)},
		{Name: "wrong-key", File: "good.sealed", Key: enc(other)},
		{Name: "wrong-file-key", File: "good.sealed", FileKey: enc(other)},
		{Name: "not-sealed", File: "plain.mp4", Key: enc(key)},
	}
	vj, _ := json.Marshal(vs)
	os.WriteFile(filepath.Join(dir, "vectors.json"), vj, 0o644)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b := browsertest.OpenPage(ctx, t, dir, harness)
	if err := b.WaitFor(ctx, `window.results`); err != nil {
		t.Fatal(err)
	}
	var got map[string]struct {
		OK     string `json:"ok"`
		Chunks int    `json:"chunks"`
		Kind   string `json:"kind"`
	}
	if err := b.Eval(ctx, `window.results`, &got); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(plain)
	want := hex.EncodeToString(sum[:])
	for _, name := range []string{"good", "good-file-key", "blob"} {
		if got[name].OK != want {
			t.Errorf("%s: decrypted %+v, want sha256 %s", name, got[name], want)
		}
	}
	if n := (len(plain) + seal.ChunkSize - 1) / seal.ChunkSize; got["good"].Chunks != n {
		t.Errorf("good: %d chunks handed out, want %d (one per sealed chunk: progressive)", got["good"].Chunks, n)
	}
	for name, kind := range map[string]string{"tampered": "damaged", "truncated": "truncated",
		"wrong-key": "wrong-key", "wrong-file-key": "wrong-key", "not-sealed": "not-sealed"} {
		if got[name].Kind != kind || got[name].OK != "" {
			t.Errorf("%s: %+v, want error kind %q", name, got[name], kind)
		}
	}
}
