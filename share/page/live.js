// live.js: the page side of camshare's near-live view (internal/live has
// the machine side). A standalone ES module, no third-party code:
//
//   import { startLive } from "./live.js";
//   const view = startLive(video, liveIndexURL, key, (s) => show(s));
//   ...
//   view.stop();          // says goodbye to camshare, parts stop within seconds
//   view.state();         // snapshot (the same object onState gets, plus history)
//
// video         a <video> element (muted autoplay works everywhere; sound after a tap)
// liveIndexURL  the camera's live/index.json (or index.sealed): a signed link on S3
// key           null for a plain archive; the live key (43 base64url chars or a
//               32-byte Uint8Array) when the archive is encrypted
// onState(s)    called on every change: s.state is one of
//                 "connecting"  telling the camera someone watches, waiting for parts
//                 "live"        playing; s.delay is how many seconds behind the camera
//                 "offline"     the bucket cannot be reached; retrying
//                 "error"       s.kind from decrypt.js ("wrong-key", "damaged", …) or "unsupported"
//               and s.segment is the recording playing.
//
// How it works: camshare only uploads parts while the live index's heartbeat
// link is written to (every heartbeatEvery seconds; an empty body says
// goodbye, sent when the page is hidden or closed). The page polls the index
// every poll seconds, appends each segment's init and then its parts to one
// SourceBuffer, each segment placed right after the previous one
// (timestampOffset), and when parts are missing (dropped, or deleted once the
// segment shipped) takes the rest from the closed segment: a part is
// closedSegment[off:end], so nothing is played twice and nothing is skipped.

import { keyFromFragment, openSealed, SealError } from "./decrypt.js";

// How far behind the newest buffered frame playback runs: parts arrive
// every ~2 s, so a little more than that keeps playback from stalling;
// further behind it plays 10% faster, and past JUMP it seeks.
const BEHIND = 1.5;
const JUMP = 6;

export function startLive(video, indexURL, key, onState) {
  if (typeof key === "string") key = keyFromFragment("#k=" + key);
  const st = {
    state: "connecting", delay: null, segment: null, kind: null,
    appended: [], segments: [], requests: { index: 0, heartbeat: 0, part: 0, init: 0, closed: 0 },
    stalls: 0, jumpLog: [], startedAt: Date.now(), firstPlayAt: null,
  };
  let stopped = false, ms = null, sb = null, cur = null, lastBeat = 0, epoch = null;
  let poll = 1, beatEvery = 10, heartbeatURL = null, timer = null;

  const emit = (patch) => {
    Object.assign(st, patch);
    if (onState) onState({ state: st.state, delay: st.delay, segment: st.segment, kind: st.kind });
  };

  const get = async (url, what, init) => {
    st.requests[what]++;
    let res;
    try { res = await fetch(url, Object.assign({ cache: "no-store" }, init)); } catch (e) { throw new SealError("network", String(e)); }
    if (!res.ok && res.status !== 206) throw new SealError(res.status === 403 || res.status === 404 ? "gone" : "network", "HTTP " + res.status);
    return res;
  };

  // bytes reads a response whole, decrypting it when sealed.
  const bytes = async (res, keys) => {
    if (!keys) return new Uint8Array(await res.arrayBuffer());
    const chunks = [];
    let n = 0;
    for await (const c of openSealed(res.body, keys)) { chunks.push(c); n += c.length; }
    const out = new Uint8Array(n);
    let o = 0;
    for (const c of chunks) { out.set(c, o); o += c.length; }
    return out;
  };

  const link = (ref) => ref.url || new URL(ref.path, indexURL).href;

  const fetchIndex = async () => {
    const res = await get(indexURL, "index");
    const b = await bytes(res, key ? { archiveKey: key } : null);
    return JSON.parse(new TextDecoder().decode(b));
  };

  const beat = (bye) => {
    if (!heartbeatURL) return;
    st.requests.heartbeat++;
    const body = bye ? "" : String(Date.now()) + " " + Math.random().toString(36).slice(2);
    fetch(heartbeatURL, { method: "PUT", body, keepalive: true, cache: "no-store" }).catch(() => {});
  };

  const append = (b) => new Promise((resolve, reject) => {
    const done = () => { sb.removeEventListener("error", fail); resolve(); };
    const fail = () => { sb.removeEventListener("updateend", done); reject(new SealError("unsupported", "append failed")); };
    sb.addEventListener("updateend", done, { once: true });
    sb.addEventListener("error", fail, { once: true });
    sb.appendBuffer(b);
  });

  const openMedia = async (mime) => {
    const MS = window.MediaSource || window.ManagedMediaSource;
    if (!MS || !MS.isTypeSupported(mime)) throw new SealError("unsupported", mime);
    ms = new MS();
    video.disableRemotePlayback = true;
    video.src = URL.createObjectURL(ms);
    await new Promise((r) => ms.addEventListener("sourceopen", r, { once: true }));
    sb = ms.addSourceBuffer(mime);
  };

  // begin starts a segment: its init, placed right after the previous one
  // when they are contiguous (the recorder cuts gap-free), else by wall time.
  const begin = async (seg, prev) => {
    if (!sb) await openMedia(seg.mime);
    const start = Date.parse(seg.start);
    if (epoch === null) epoch = start;
    let offset = (start - epoch) / 1000;
    if (prev && Math.abs(start - (prev.wall + prev.end * 1000)) < 1500) offset = prev.offset + prev.end;
    const init = await bytes(await get(link(seg.init), "init"), key ? { archiveKey: key } : null);
    sb.timestampOffset = offset;
    await append(init);
    cur = { name: seg.name, wall: start, offset, nextSeq: 0, nextOff: 0, end: 0, done: false };
    st.segments.push({ name: seg.name, offset, start: seg.start });
    emit({ segment: seg.name });
  };

  const appendPart = async (seg, p) => {
    const b = await bytes(await get(link(p), "part"), key ? { archiveKey: key } : null);
    await append(b);
    cur.nextSeq = p.seq + 1;
    cur.nextOff = p.end;
    cur.end = p.t + p.d;
    cur.done = !!p.last;
    st.appended.push({ name: seg.name, seq: p.seq, t: p.t, d: p.d, at: Date.now() });
  };

  // finishFromClosed appends what the parts did not bring, from the closed
  // segment: a Range for a plain one, the decrypted tail for a sealed one.
  const finishFromClosed = async (seg) => {
    let b;
    if (key) {
      const all = await bytes(await get(link(seg.closed), "closed"), { fileKey: keyFromFragment("#k=" + seg.fileKey) });
      b = all.slice(cur.nextOff);
    } else {
      b = await bytes(await get(link(seg.closed), "closed", { headers: { Range: "bytes=" + cur.nextOff + "-" } }));
    }
    if (b.length) await append(b);
    cur.end = endOf(video.buffered) - cur.offset;
    cur.done = true;
    st.appended.push({ name: seg.name, closed: true, from: cur.nextOff, at: Date.now() });
  };

  const endOf = (r) => (r.length ? r.end(r.length - 1) : 0);

  // advance appends everything the index offers after what was appended.
  const advance = async (ix) => {
    const segs = ix.segments || [];
    if (cur && !segs.some((g) => g.name === cur.name) && segs.some((g) => g.name > cur.name && g.parts && g.parts.length)) {
      cur = null; // a new viewing (camshare lost us during an outage): start again at the newest
    }
    if (!cur) {
      const seg = [...segs].reverse().find((g) => g.parts && g.parts.length);
      if (!seg) return;
      const keyed = seg.parts.filter((p) => p.key);
      const first = keyed.length ? keyed[keyed.length - 1] : seg.parts[seg.parts.length - 1];
      await begin(seg, null);
      await appendPart(seg, first);
    }
    for (;;) {
      const i = segs.findIndex((g) => g.name === cur.name);
      const seg = segs[i];
      if (seg && !cur.done) {
        for (const p of seg.parts || []) {
          if (p.seq < cur.nextSeq) continue;
          if (p.off !== cur.nextOff && seg.closed) break; // a hole: the closed segment fills it
          await appendPart(seg, p);
        }
        if (!cur.done && seg.size && cur.nextOff >= seg.size) cur.done = true;
        if (!cur.done && seg.closed) await finishFromClosed(seg);
      }
      const next = i >= 0 ? segs[i + 1] : segs.find((g) => g.name > cur.name);
      if (!next || !(cur.done || (seg && seg.closed))) return;
      const prev = cur;
      await begin(next, prev);
      cur.nextOff = 0;
    }
  };

  // jump seeks, and keeps why with what the page saw just before: when the
  // last part came and whether playback had been waiting for data.
  const jump = (why, to, edge) => {
    const last = st.appended.length ? st.appended[st.appended.length - 1].at : null;
    st.jumpLog.push({ why, at: Date.now(), from: video.currentTime, to, edge, stalls: st.stalls, sincePart: last && Date.now() - last });
    video.currentTime = to;
  };

  // keepUp plays near the newest frame and steps over holes.
  const keepUp = () => {
    const b = video.buffered;
    if (!b.length) return;
    const edge = endOf(b);
    const t = video.currentTime;
    if (!st.firstPlayAt) {
      // The start, not a jump: near the newest frame, inside the newest
      // range (the first part appended is rarely the segment's first).
      const newest = b.start(b.length - 1);
      if (t < newest || edge - t > BEHIND) video.currentTime = Math.max(newest, edge - BEHIND);
    } else {
      let inside = false;
      for (let i = 0; i < b.length; i++) {
        if (t >= b.start(i) && t < b.end(i)) inside = true;
        else if (t < b.start(i) && !inside) { jump("hole", b.start(i), edge); break; }
      }
      if (edge - video.currentTime > JUMP) jump("behind", edge - BEHIND, edge);
    }
    const behind = edge - video.currentTime;
    video.playbackRate = behind > BEHIND + 1 ? 1.15 : 1;
    if (video.paused) video.play().catch(() => {});
    if (sb && !sb.updating && video.currentTime - b.start(0) > 60) sb.remove(0, video.currentTime - 30);
  };

  const delayNow = () => {
    const t = video.currentTime;
    let seg = null;
    for (const g of st.segments) if (g.offset <= t) seg = g;
    if (!seg || !video.buffered.length || video.readyState < 2) return null;
    return (Date.now() - (Date.parse(seg.start) + (t - seg.offset) * 1000)) / 1000;
  };

  const tick = async () => {
    timer = null;
    if (stopped) return;
    if (document.hidden) return; // visibilitychange restarts it
    try {
      const ix = await fetchIndex();
      poll = ix.poll || poll;
      beatEvery = ix.heartbeatEvery || beatEvery;
      heartbeatURL = ix.heartbeat || heartbeatURL;
      if (Date.now() - lastBeat >= beatEvery * 1000) { lastBeat = Date.now(); beat(false); }
      await advance(ix);
      keepUp();
      const delay = delayNow();
      if (delay !== null && !st.firstPlayAt) st.firstPlayAt = Date.now();
      emit({ state: delay === null ? "connecting" : "live", delay, kind: null });
    } catch (e) {
      // A torn read (an object replaced while fetched) looks like damage or
      // bad JSON once and is fine on the next poll; only a key that does not
      // fit, or a browser that cannot play the format, ends the view.
      const kind = e instanceof SealError ? e.kind : "network";
      if (kind === "wrong-key" || kind === "not-sealed" || kind === "unsupported") { emit({ state: "error", kind }); return; }
      emit({ state: "offline", kind });
    }
    if (!stopped) timer = setTimeout(tick, poll * 1000);
  };

  const onVisibility = () => {
    if (document.hidden) { beat(true); lastBeat = 0; }
    else if (!timer) tick();
  };
  const onHide = () => beat(true);
  const onWaiting = () => { st.stalls++; }; // playback ran out of data
  video.addEventListener("waiting", onWaiting);
  document.addEventListener("visibilitychange", onVisibility);
  window.addEventListener("pagehide", onHide);
  tick();

  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      beat(true);
      document.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("pagehide", onHide);
      video.removeEventListener("waiting", onWaiting);
    },
    state() {
      return Object.assign({}, st, { delay: delayNow(), currentTime: video.currentTime, jumps: st.jumpLog.length,
        buffered: Array.from({ length: video.buffered.length }, (_, i) => [video.buffered.start(i), video.buffered.end(i)]) });
    },
  };
}
