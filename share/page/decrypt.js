// decrypt.js: camshare's sealed format (docs/encryption.md) in the browser,
// with WebCrypto only. A standalone ES module; the page imports it:
//
//   import { keyFromFragment, openSealed, fetchSealed, SealError } from "./decrypt.js";
//   const key = keyFromFragment(location.hash);      // #k=<43 base64url chars>
//   const blob = await fetchSealed(url, { archiveKey: key });     // or { fileKey }
//   for await (const chunk of openSealed(response.body, { fileKey })) …
//
// Every failure is a SealError whose .kind is one of:
//   "wrong-key"  the key does not belong to this file (link incomplete/invalid)
//   "damaged"    a chunk does not authenticate (changed on the server)
//   "truncated"  the file ends before its last chunk (upload cut short)
//   "not-sealed" / "unsupported"  not this format / a newer version
// Plaintext is only ever handed out one authenticated chunk at a time.

const MAGIC = "camseal";
const VERSION = 1;
const CHUNK_SHIFT = 16;
const CHUNK = 1 << CHUNK_SHIFT;
const TAG = 16;
const HEADER = 128;
const OFF = { prefix: 12, keyID: 20, salt: 36, wrapNonce: 52, wrapped: 64, fileCheck: 112 };

export class SealError extends Error {
  constructor(kind, message) {
    super(message || kind);
    this.kind = kind;
  }
}

// keyFromFragment reads the key after #k= (base64url, 32 bytes); null when
// the fragment has none or it is malformed.
export function keyFromFragment(hash) {
  const m = /(?:^#|&)k=([A-Za-z0-9_-]{43})(?:&|$)/.exec(hash || "");
  if (!m) return null;
  return base64urlDecode(m[1]);
}

function base64urlDecode(s) {
  const b64 = s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function check(domain, key) {
  const data = new Uint8Array(domain.length + key.length);
  data.set(new TextEncoder().encode(domain));
  data.set(key, domain.length);
  return new Uint8Array(await crypto.subtle.digest("SHA-256", data)).slice(0, 16);
}

function equal(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

function aesKey(raw) {
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["decrypt"]);
}

// parseHeader checks the fixed header and returns what decryption needs.
export async function parseHeader(h, { archiveKey, fileKey }) {
  if (h.length < HEADER) {
    const start = new TextDecoder().decode(h.slice(0, MAGIC.length));
    throw new SealError(MAGIC.startsWith(start) && h.length > 0 ? "truncated" : "not-sealed");
  }
  if (new TextDecoder().decode(h.slice(0, 7)) !== MAGIC) throw new SealError("not-sealed");
  if (h[7] !== VERSION || h[8] !== CHUNK_SHIFT || h[9] | h[10] | h[11]) throw new SealError("unsupported");
  const header = h.slice(0, HEADER);
  if (!fileKey) {
    if (!archiveKey || archiveKey.length !== 32) throw new SealError("wrong-key");
    if (!equal(await check("camshare archive key id v1", archiveKey), header.slice(OFF.keyID, OFF.keyID + 16)))
      throw new SealError("wrong-key");
    try {
      fileKey = new Uint8Array(await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: header.slice(OFF.wrapNonce, OFF.wrapNonce + 12), additionalData: header.slice(0, OFF.wrapped) },
        await aesKey(archiveKey), header.slice(OFF.wrapped, OFF.fileCheck)));
    } catch (e) {
      throw new SealError("damaged");
    }
  }
  if (fileKey.length !== 32 || !equal(await check("camshare file key check v1", fileKey), header.slice(OFF.fileCheck)))
    throw new SealError(archiveKey ? "damaged" : "wrong-key");
  return { header, key: await aesKey(fileKey), prefix: header.slice(OFF.prefix, OFF.prefix + 8) };
}

async function openChunk(st, i, sealed, last) {
  const iv = new Uint8Array(12);
  iv.set(st.prefix);
  new DataView(iv.buffer).setUint32(8, i);
  const aad = new Uint8Array(1 + st.header.length);
  aad[0] = last ? 1 : 0;
  aad.set(st.header, 1);
  return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: aad }, st.key, sealed));
}

// openSealed decrypts a ReadableStream (a fetch body) and yields each
// authenticated plaintext chunk as a Uint8Array, so playback can start
// after the first 64 KiB. keys: { archiveKey } or { fileKey } (Uint8Array).
export async function* openSealed(stream, keys) {
  const reader = stream.getReader();
  let buf = new Uint8Array(0);
  let ended = false;
  const need = async (n) => {
    while (buf.length < n && !ended) {
      const { value, done } = await reader.read();
      if (done) { ended = true; break; }
      const b = new Uint8Array(buf.length + value.length);
      b.set(buf); b.set(value, buf.length);
      buf = b;
    }
  };
  try {
    await need(HEADER);
    const st = await parseHeader(buf, keys);
    buf = buf.slice(HEADER);
    for (let i = 0; ; i++) {
      await need(CHUNK + TAG + 1);
      const more = buf.length > CHUNK + TAG;
      const n = more ? CHUNK + TAG : buf.length;
      if (n < TAG) throw new SealError("truncated");
      const sealed = buf.slice(0, n);
      let plain;
      try {
        plain = await openChunk(st, i, sealed, !more);
      } catch (e) {
        if (!more) {
          try { await openChunk(st, i, sealed, false); } catch (e2) { throw new SealError("damaged"); }
          throw new SealError("truncated");
        }
        throw new SealError("damaged");
      }
      buf = buf.slice(n);
      yield plain;
      if (!more) return;
    }
  } finally {
    reader.releaseLock();
  }
}

// decryptToBlob collects the whole plaintext: for browsers without
// MediaSource (iPhone Safari before 17.1), which play a Blob URL.
export async function decryptToBlob(stream, keys, type = "video/mp4") {
  const parts = [];
  for await (const c of openSealed(stream, keys)) parts.push(c);
  return new Blob(parts, { type });
}

// fetchSealed fetches and decrypts url into a Blob. A failed fetch is kind
// "network" (offline) or "gone" (HTTP 403/404: expired or revoked link).
export async function fetchSealed(url, keys, init) {
  let res;
  try {
    res = await fetch(url, init);
  } catch (e) {
    throw new SealError("network", String(e));
  }
  if (!res.ok) throw new SealError(res.status === 403 || res.status === 404 ? "gone" : "network", "HTTP " + res.status);
  return decryptToBlob(res.body, keys);
}

// playProgressively feeds the decrypted chunks of url into a MediaSource on
// video (fragmented MP4, as camshare records). Where MediaSource or the
// codec is missing it falls back to a whole-file Blob. Resolves when all of
// the file was appended; rejects with a SealError.
export async function playProgressively(video, url, keys, mime = 'video/mp4; codecs="avc1.64001f, mp4a.40.2"') {
  const MS = window.MediaSource || window.ManagedMediaSource;
  if (!MS || !MS.isTypeSupported(mime)) {
    video.src = URL.createObjectURL(await fetchSealed(url, keys));
    return;
  }
  let res;
  try { res = await fetch(url); } catch (e) { throw new SealError("network", String(e)); }
  if (!res.ok) throw new SealError(res.status === 403 || res.status === 404 ? "gone" : "network", "HTTP " + res.status);
  const ms = new MS();
  video.disableRemotePlayback = true; // ManagedMediaSource needs it
  video.src = URL.createObjectURL(ms);
  await new Promise((r) => ms.addEventListener("sourceopen", r, { once: true }));
  const sb = ms.addSourceBuffer(mime);
  const append = (c) => new Promise((resolve, reject) => {
    sb.addEventListener("updateend", resolve, { once: true });
    sb.addEventListener("error", reject, { once: true });
    sb.appendBuffer(c);
  });
  for await (const c of openSealed(res.body, keys)) await append(c);
  ms.endOfStream();
}
