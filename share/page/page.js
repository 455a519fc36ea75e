// camshare's share page: starts at the newest footage, plays segments back
// to back in one <video>, and follows new ones by polling latest.json (a
// small document; the browser revalidates it, so an unchanged one costs a
// 304). Older days load when the viewer picks them. Nothing but the page's
// own documents and the footage is fetched.
//
// Every document the page reads goes through getDoc(), every recording
// through a segment source (sources below: plain, or sealed for an
// encrypted archive, which decrypts with the key in the link's fragment,
// #k=…, via decrypt.js's camseal). Opened from disk (file://), fetch is
// refused, so documents come as scripts calling camshareDoc().
(function () {
  "use strict";
  var cfg = CAMSHARE;
  var $ = function (id) { return document.getElementById(id); };
  var video = $("video");
  // The latest document: the embedded copy until fetched (an encrypted
  // archive's page embeds none: nothing is known before it decrypts).
  var doc = cfg.latest || { v: 1, title: "", camera: "", live: false, days: [], recent: [], poll: 15000 };
  var known = !!cfg.latest;
  var linkKey = cfg.sealed ? camseal.keyFromFragment(location.hash) : null;
  var days = {};         // day → {info, segs (null until loaded), loading}
  var segs = [];         // every loaded segment, oldest first
  var current = null, waiting = false, seekTo = 0, resumeAt = 0;
  var shownDay = "";     // the day on the timeline
  var thumbs = {};       // path → canvas with a frame of that segment
  var played = [];       // paths in the order they started (tests, and "resume")
  var damaged = [];      // paths that did not decrypt
  var trouble = "";      // "", "offline", "expired", "gone", "damaged", "archived", "invalid", "revoked"
  var lastProgress = Date.now(), pollTimer = 0, polls = 0;
  var playedAs = ""; // how the player got the current file: "link", "mediasource" or "blob"

  // ---- words and times, in the viewer's language ----
  var lang = navigator.language || "en";
  function fmt(opts) { opts.timeZone = "UTC"; return new Intl.DateTimeFormat(lang, opts); }
  var fTime = fmt({ hour: "2-digit", minute: "2-digit", second: "2-digit" });
  var fShort = fmt({ hour: "2-digit", minute: "2-digit" });
  var fHour = fmt({ hour: "numeric" });
  var fDay = fmt({ weekday: "long", day: "numeric", month: "long" });
  var fDayShort = fmt({ weekday: "short", day: "numeric", month: "short" });
  var fLocalWhen = new Intl.DateTimeFormat(lang, { weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" });
  // Camera wall clock: shift by the camera's offset and read as UTC.
  function cam(ms, off) { return new Date(ms + off * 1000); }
  function camTime(ms, off) { return fTime.format(cam(ms, off)); }
  function ago(ms) {
    var m = Math.round((Date.now() - ms) / 60000);
    if (m < 1) return "less than a minute ago";
    if (m < 90) return m + (m === 1 ? " minute ago" : " minutes ago");
    var h = Math.round(m / 60);
    if (h < 36) return h + (h === 1 ? " hour ago" : " hours ago");
    return fLocalWhen.format(new Date(ms));
  }
  function say(text) { $("status").textContent = text; }

  // ---- fetching documents ----
  function httpError(r) { var e = new Error("HTTP " + r.status); e.status = r.status; return e; }
  function getBytes(url, init) {
    return fetch(url, init || { cache: "no-cache" }).then(function (r) {
      if (!r.ok) throw httpError(r);
      return r.arrayBuffer();
    });
  }
  // unseal decrypts a whole sealed document (the link key opens it).
  function unseal(bytes, keys) {
    var parts = [], it = camseal.openSealed(new Response(bytes).body, keys);
    function next() {
      return it.next().then(function (r) {
        if (r.done) return new Blob(parts).arrayBuffer();
        parts.push(r.value);
        return next();
      });
    }
    return next();
  }
  function base64Bytes(s) {
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  var scriptDocs = {};
  window.camshareDoc = function (name, data) { var cb = scriptDocs[name]; delete scriptDocs[name]; if (cb) cb(data); };
  // getScript loads a document written as a script (a page opened from disk).
  function getScript(url) {
    return new Promise(function (ok, fail) {
      var s = document.createElement("script"), name = url.split("/").pop();
      scriptDocs[name] = ok;
      s.src = url + "?t=" + Date.now(); // not presigned: free to bust caches
      s.onload = function () { s.remove(); if (scriptDocs[name]) { delete scriptDocs[name]; fail(httpError({ status: 404 })); } };
      s.onerror = function () { s.remove(); delete scriptDocs[name]; fail(new TypeError("unreachable")); };
      document.head.appendChild(s);
    });
  }
  function getDoc(url) {
    if (cfg.sealed && !linkKey) return Promise.reject(new camseal.SealError("wrong-key"));
    var got = cfg.script ? getScript(url) : getBytes(url);
    if (cfg.sealed) {
      got = got.then(function (x) { return unseal(cfg.script ? base64Bytes(x) : x, { archiveKey: linkKey }); });
    }
    if (cfg.sealed || !cfg.script) got = got.then(function (b) { return JSON.parse(new TextDecoder().decode(b)); });
    return got;
  }
  function b64url(s) { return base64Bytes(s.replace(/-/g, "+").replace(/_/g, "/") + "==".slice(0, (4 - s.length % 4) % 4)); }

  // ---- segment sources: how one recording reaches the <video> ----
  // A source's start(seg, attached) puts seg into the player, calls
  // attached() once the player has it (then play() may be called), and
  // returns a promise that rejects with why it failed (.status: HTTP;
  // .kind: a SealError; TypeError: offline), or null when the player
  // reports its own errors. stop() drops what it is doing. plain streams
  // the link itself; sealed decrypts as it downloads. (A live source, for
  // the part still being recorded, would be one more.)
  var sources = { plain: plainSource(), sealed: sealedSource() };
  function sourceFor(seg) { return seg.key ? sources.sealed : sources.plain; }
  var source = null;

  function plainSource() {
    return {
      start: function (seg, attached) { playedAs = "link"; video.src = seg.url; attached(); return null; },
      stop: function () {}
    };
  }

  // sealedSource fetches, authenticates and decrypts chunk by chunk
  // (64 KiB): into a MediaSource, so the picture starts after the first
  // chunks, or where there is none (iPhone Safari before 17.1) or it
  // refuses the codecs, into a Blob played whole. Only authenticated bytes
  // ever reach the player.
  function sealedSource() {
    var job = 0, abort = null, objectURL = "";
    function stop() {
      job++;
      if (abort) abort.abort();
      abort = null;
      if (objectURL) { URL.revokeObjectURL(objectURL); objectURL = ""; }
    }
    function attach(obj) { objectURL = URL.createObjectURL(obj); video.src = objectURL; }
    function body(seg) {
      if (cfg.script) return getScript(seg.url).then(function (b64) { return new Response(base64Bytes(b64)).body; });
      return fetch(seg.url, { signal: abort && abort.signal }).then(function (r) {
        if (!r.ok) throw httpError(r);
        return r.body;
      });
    }
    function start(seg, attached) {
      stop();
      var my = ++job;
      abort = window.AbortController ? new AbortController() : null;
      var stale = function () { return my !== job; };
      return body(seg).then(function (stream) {
        var it = camseal.openSealed(stream, { fileKey: b64url(seg.key) });
        return it.next().then(function (first) {
          if (stale()) return;
          var first_ = first.done ? new Uint8Array(0) : first.value;
          // MediaSource where there is one; ManagedMediaSource on iPhone,
          // which has only that.
          var MS = window.MediaSource || window.ManagedMediaSource, mime = mimeOf(first_);
          if (!wholeFile && MS && mime && MS.isTypeSupported(mime)) return streamInto(MS, mime, first_, it, attached, stale);
          return wholeBlob(first_, first.done, it, attached, stale);
        });
      }).catch(function (e) { if (!stale()) throw e; });
    }
    function wholeBlob(first, done, it, attached, stale) {
      var parts = [first];
      function next() {
        if (done) { if (!stale()) { playedAs = "blob"; attach(new Blob(parts, { type: "video/mp4" })); attached(); } return; }
        return it.next().then(function (r) { if (stale()) return; lastProgress = Date.now(); done = r.done; if (!r.done) parts.push(r.value); return next(); });
      }
      return next();
    }
    function streamInto(MS, mime, first, it, attached, stale) {
      var ms = new MS();
      playedAs = "mediasource";
      video.disableRemotePlayback = true; // ManagedMediaSource needs it
      attach(ms);
      attached();
      return new Promise(function (ok) { ms.addEventListener("sourceopen", ok, { once: true }); }).then(function () {
        if (stale()) return;
        var sb = ms.addSourceBuffer(mime);
        function append(c) {
          return new Promise(function (ok, fail) {
            sb.addEventListener("updateend", ok, { once: true });
            sb.addEventListener("error", function () { fail(new camseal.SealError("damaged")); }, { once: true });
            sb.appendBuffer(c);
          });
        }
        function pump(chunk) {
          if (stale()) return;
          return append(chunk).then(function () {
            if (stale()) return;
            skipLeadingGap();
            lastProgress = Date.now(); // decrypting as it arrives: not a stall
            return it.next().then(function (r) {
              if (stale()) return;
              if (r.done) { if (ms.readyState === "open") ms.endOfStream(); return; }
              return pump(r.value);
            });
          });
        }
        return pump(first);
      });
    }
    return { start: start, stop: stop };
  }
  // skipLeadingGap: footage with B-frames (first picture shown at 0.13 s)
  // buffers from there, not from 0, when MediaSource ignores the file's
  // edit list. Chromium and Firefox play across that gap; WebKit waits at
  // readyState 1 for ever unless the time is moved into what is buffered.
  function skipLeadingGap() {
    var b = video.buffered;
    if (!b.length || video.seeking) return;
    var gap = b.start(0) - video.currentTime;
    if (gap > 0 && gap < 1) video.currentTime = b.start(0);
  }
  // wholeFile: sealed recordings play as whole Blobs, as where MediaSource
  // is missing. Asked for with #whole=1, and chosen on WebKit for Linux
  // (WebKitGTK, WPE: media through GStreamer), whose MediaSource pipeline
  // deadlocks the page, mostly on the move from one recording to the next
  // (gdb: the main thread waits in gst_pad_push_event, pool threads in
  // gst_bin_recalculate_latency). Safari's WebKit plays through
  // AVFoundation and keeps MediaSource.
  var wholeFile = /(?:^#|&)whole=1(?:&|$)/.test(location.hash) || (function (ua) {
    return /AppleWebKit/.test(ua) && /Linux/.test(ua) && !/Chrome|Android/.test(ua);
  })(navigator.userAgent);

  // ---- live: the camera as it records (live.js's camlive), while at the newest ----
  // latest.liveViews names the cameras with a near-live view (a signed live
  // index link, and the live key of an encrypted archive). A second <video>
  // shows it over the newest closed segment, which keeps playing beneath
  // until the first live picture and again whenever live fails or drops
  // out: never a blank page. Picking an older moment stops live (play),
  // "Jump to latest" starts it again (playLatest); hidden, it says goodbye.
  var liveVideo = document.createElement("video");
  liveVideo.id = "livevideo";
  liveVideo.muted = true; liveVideo.autoplay = true; liveVideo.playsInline = true;
  liveVideo.style.display = "none"; // (the page's CSS shows every video: [hidden] would lose)
  video.parentNode.insertBefore(liveVideo, video.nextSibling);
  var liveView = null, liveCam = "", liveWanted = false, liveShown = false, liveBroken = {};
  var liveLast = { state: "", delay: null, kind: null };
  function liveChoice() {
    var vs = doc.liveViews || [];
    for (var i = 0; i < vs.length; i++) if (vs[i].camera === liveCam) return vs[i];
    return vs[0] || null;
  }
  function liveStart() {
    liveWanted = true;
    livePicker();
    var v = liveChoice(), MS = window.MediaSource || window.ManagedMediaSource;
    if (!v || liveBroken[v.camera] || !window.camlive || !MS || document.hidden || over()) return;
    if (liveView && liveView.camera === v.camera) return; // (a re-signed link: the running view keeps its own)
    liveStop(true);
    liveCam = v.camera;
    var view = { camera: v.camera };
    liveView = view;
    view.ctl = camlive.startLive(liveVideo, v.index, v.key || null, function (st) { if (liveView === view) liveChanged(st); });
  }
  function liveStop(keepWanted) {
    if (!keepWanted) liveWanted = false;
    if (!liveView) return;
    var view = liveView;
    liveView = null;
    view.ctl.stop();
    liveLast = { state: "", delay: null, kind: null };
    liveShow(false, false);
    liveVideo.removeAttribute("src");
    liveVideo.load();
  }
  function liveChanged(st) {
    liveLast = st;
    if (st.state === "error") { // wrong key, or a browser that can't play it: the closed segments it is
      liveBroken[liveCam] = true;
      liveStop(true);
      if (current && !trouble) say("The live picture can\u2019t be shown here; showing the newest recording.");
      if (!current || waiting) playLatest();
      return;
    }
    liveShow(st.state === "live", true);
    if (st.state === "live" && !trouble) {
      say("Live, " + (st.delay <= 10 ? "a few seconds" : Math.round(st.delay) + " seconds") + " behind the camera.");
      var off = current ? current.off : (segs[segs.length - 1] || { off: 0 }).off;
      $("now").textContent = camTime(Date.now() - st.delay * 1000, off);
    }
  }
  // liveShow swaps the two players; resume: the closed segment plays again
  // (the newest one) when live drops out.
  function liveShow(on, resume) {
    if (on === liveShown) return;
    liveShown = on;
    liveVideo.style.display = on ? "" : "none";
    video.style.display = on ? "none" : "";
    if (on) video.pause();
    else if (resume && !over()) {
      if (segs.length && current !== segs[segs.length - 1]) play(segs.length - 1);
      else if (current && !waiting) startPlayer();
      if (!trouble) say("");
    }
    freshnessBadge();
  }
  // livePicker: with more than one live camera, a picker switches the view.
  function livePicker() {
    var vs = doc.liveViews || [], pick = $("livecam");
    if (vs.length < 2) { if (pick) pick.remove(); return; }
    if (!pick) {
      pick = document.createElement("select");
      pick.id = "livecam";
      pick.setAttribute("aria-label", "Camera");
      pick.onchange = function () { liveCam = pick.value; if (liveWanted) { liveStop(true); liveStart(); } };
      $("bar").insertBefore(pick, $("latest"));
    }
    var sig = vs.map(function (v) { return v.camera; }).join("\n");
    if (pick.dataset.sig !== sig) {
      pick.dataset.sig = sig;
      pick.textContent = "";
      vs.forEach(function (v) { var o = document.createElement("option"); o.value = o.textContent = v.camera; pick.appendChild(o); });
    }
    pick.value = (liveChoice() || vs[0]).camera;
  }
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) liveStop(true);
    else if (liveWanted) liveStart();
  });
  function liveSnapshot() {
    var st = liveView ? liveView.ctl.state() : null;
    return { wanted: liveWanted, shown: liveShown, camera: liveView ? liveView.camera : "", state: liveLast.state,
      kind: liveLast.kind, delay: st ? st.delay : null, broken: Object.keys(liveBroken) };
  }

  // mimeOf names the codecs of a fragmented MP4 from its first bytes (the
  // init segment): MediaSource must be told them. "" when unknown.
  function mimeOf(b) {
    function find(tag) {
      outer: for (var i = 4; i + 4 <= b.length; i++) {
        for (var j = 0; j < 4; j++) if (b[i + j] !== tag.charCodeAt(j)) continue outer;
        return i;
      }
      return -1;
    }
    var codecs = [], hex = function (x) { return (x < 16 ? "0" : "") + x.toString(16); };
    var avc = find("avcC");
    if (avc >= 0 && avc + 8 <= b.length) codecs.push("avc1." + hex(b[avc + 5]) + hex(b[avc + 6]) + hex(b[avc + 7]));
    else if (find("hvcC") >= 0) codecs.push("hvc1.1.6.L93.B0");
    else return "";
    if (find("mp4a") >= 0) codecs.push("mp4a.40.2");
    else if (find("Opus") >= 0) codecs.push("opus");
    return 'video/mp4; codecs="' + codecs.join(", ") + '"';
  }

  // segmentBytes is a whole recording as plain MP4 bytes (to save it).
  function segmentBytes(seg) {
    var got = cfg.script && seg.key ? getScript(seg.url).then(base64Bytes) : getBytes(seg.url);
    return seg.key ? got.then(function (b) { return unseal(b, { fileKey: b64url(seg.key) }); }) : got;
  }

  // ---- the segments ----
  function order(a, b) { return a.ms - b.ms || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0); }
  function dayOf(s) { var d = cam(s.ms, s.off); return d.toISOString().slice(0, 10).replace(/-/g, ""); }
  function typical() {
    for (var i = segs.length - 1; i > 0; i--) if (segs[i].end) return segs[i].end - segs[i].ms;
    return 60000;
  }
  function endOf(s) { return s.end || s.ms + typical(); }
  function indexOf(seg) {
    if (!seg) return -1;
    for (var i = 0; i < segs.length; i++) if (segs[i].path === seg.path) return i;
    return -1;
  }
  function after(seg) { for (var i = 0; i < segs.length; i++) if (order(segs[i], seg) > 0) return i; return -1; }
  function before(seg) { for (var i = segs.length - 1; i >= 0; i--) if (order(segs[i], seg) < 0) return i; return -1; }
  function add(list) {
    var byPath = {}, changed = false;
    segs.forEach(function (s) { byPath[s.path] = s; });
    list.forEach(function (s) {
      var old = byPath[s.path];
      if (!old || old.url !== s.url || old.end !== s.end) { byPath[s.path] = s; changed = true; }
    });
    if (!changed) return false;
    segs = Object.keys(byPath).map(function (k) { return byPath[k]; }).sort(order);
    var fresh = indexOf(current);
    if (fresh >= 0) current = segs[fresh]; // keep the renewed link
    return true;
  }
  // A rolling window: what left the oldest day's start goes.
  function trim() {
    var first = doc.days.length ? doc.days[0].first : Infinity;
    segs = segs.filter(function (s) { return s.ms >= first && days[dayOf(s)]; });
  }

  // dayNext is the shared day step days after d (-1: the one before), or "".
  function dayNext(d, step) {
    var ds = doc.days.map(function (x) { return x.day; }), at = ds.indexOf(d);
    return at >= 0 && ds[at + step] || "";
  }

  function loadDay(d) {
    var day = days[d];
    if (!day) return Promise.resolve();
    if (day.segs && day.segs.length >= day.info.n) return Promise.resolve();
    if (!day.loading) {
      day.loading = getDoc(day.info.url).then(function (x) {
        day.loading = null;
        day.segs = x.segments;
        add(x.segments);
        render();
      }, function (e) { day.loading = null; trouble = ""; problem(e, true); });
    }
    return day.loading;
  }

  // setLatest takes a latest document: days, newest segments, expiry.
  function setLatest(x) {
    doc = x;
    if (!known && cfg.sealed) { // the title only comes with the decrypted index
      known = true;
      if (x.title) { document.title = x.title; document.querySelector("h1").textContent = x.title; }
    }
    known = true;
    var seen = {};
    x.days.forEach(function (info) {
      seen[info.day] = true;
      var day = days[info.day];
      if (!day) days[info.day] = day = { info: info, segs: null };
      else day.info = info;
    });
    Object.keys(days).forEach(function (d) { if (!seen[d]) delete days[d]; });
    add(x.recent);
    x.recent.forEach(function (r) { // a loaded day gains the new ones without a refetch
      var day = days[dayOf(r)];
      if (day && day.segs && !day.segs.some(function (s) { return s.path === r.path; })) day.segs.push(r);
    });
    trim();
    var newest = x.days.length ? x.days[x.days.length - 1].day : "";
    if (newest && days[newest].segs) loadDay(newest); // loaded, and missing some: reload
    if (!shownDay || !days[shownDay]) shownDay = newest;
    render();
    freshness();
    if (waiting && (current ? after(current) >= 0 : segs.length > 0)) advance();
    if (liveWanted) liveStart(); // a live view that appeared, or another camera
  }

  // ---- playing ----
  function play(i, offset) {
    var seg = segs[i];
    if (!seg) return;
    if (liveView && !(i === segs.length - 1 && !offset)) liveStop(); // an older moment: live ends
    lapse = null;
    current = seg;
    waiting = false;
    seekTo = offset || 0;
    resumeAt = seekTo;
    lastProgress = Date.now();
    played.push(seg.path);
    if (source) source.stop();
    if (!seg.cold) {
      source = sourceFor(seg);
      var failed = source.start(seg, startPlayer);
      if (failed) failed.catch(function (e) { if (current === seg) sourceFailed(seg, e); });
    }
    if (dayOf(seg) !== shownDay) { shownDay = dayOf(seg); render(); }
    if (trouble === "damaged" || trouble === "archived") trouble = "";
    if (seg.cold) archived(seg);
    else if (!trouble) say("");
    highlight();
  }

  // archived: a recording in a cold storage tier (prune --cold-after) needs
  // a restore before anyone can play it: said, and the next one plays.
  function archived(seg) {
    trouble = "archived";
    video.removeAttribute("src");
    video.load();
    say("The recording of " + camTime(seg.ms, seg.off) + " is archived, not playable now; going on with the next one.");
    setTimeout(function () { if (current === seg) { waiting = false; advanceFrom(seg); } }, 2500);
  }

  function startPlayer() {
    if (liveShown) return; // live is on screen: this one waits beneath, loaded
    var p = video.play();
    if (p && p.catch) {
      p.catch(function (err) {
        // Phones refuse sound without a tap: play muted, offer the tap.
        if (err && err.name === "NotAllowedError" && !video.muted) {
          video.muted = true;
          $("sound").hidden = false;
          video.play().catch(function () { say("Tap play to start."); });
        }
      });
    }
  }

  // sourceFailed: a recording that does not decrypt is damaged (changed or
  // cut short on the server): said, never shown, and the next one plays.
  // Network trouble goes the way of any failed fetch.
  function sourceFailed(seg, e) {
    if (e && e.kind && e.kind !== "network" && e.kind !== "gone") {
      trouble = "damaged";
      video.removeAttribute("src");
      video.load();
      say("The recording of " + camTime(seg.ms, seg.off) + " is damaged and can\u2019t be shown; going on with the next one.");
      damaged.push(seg.path);
      setTimeout(function () { if (current === seg) { waiting = false; advanceFrom(seg); } }, 2500);
      return;
    }
    var at = Math.max(resumeAt, video.currentTime || 0), t = problem(e);
    if (t === "gone") setTimeout(function () { if (current === seg) { trouble = ""; advance(); } }, 2000);
    if (t === "offline") retryLater(seg, at);
  }
  function advanceFrom(seg) {
    var i = after(seg);
    if (i >= 0) play(i);
    else advance(); // the sentence stays until something newer comes
  }

  function playLatest() {
    if (segs.length) play(segs.length - 1);
    else waiting = true;
    liveStart();
  }

  function advance() {
    var i = current ? after(current) : segs.length - 1;
    if (i >= 0) { play(i); return; }
    // The next day may not be loaded yet.
    var next = current && dayNext(dayOf(current), 1);
    if (next) { loadDay(next).then(function () { if (after(current) >= 0) advance(); }); return; }
    waiting = true;
    if (!trouble) say(doc.live ? "That was the newest recording. The next one appears here when the camera sends it." : "End of the recordings shared here.");
    highlight();
  }

  // problem explains a failed fetch or playback in plain words and decides
  // what happens next: offline waits and resumes, gone skips, expired stops.
  function problem(err, isDoc) {
    // A 403 near the end of the link's life is its expiry (the server's
    // clock and the signature's second may run a little ahead of ours).
    var expired = doc.expires && (Date.now() >= doc.expires || (err && err.status === 403 && Date.now() >= doc.expires - 120000));
    if (err && err.kind && err.kind !== "network") { // the index does not open with this link's key
      return stop("invalid", "This link is not complete or not valid. Ask the person who sent it to send the whole link again.");
    }
    if (isDoc && err && err.status === 404) { // the page's own index is gone: share --revoke
      return stop("revoked", "This link has been withdrawn by the person who shared it. Ask them for a new one if you still need it.");
    }
    if (expired || (err && err.status === 403)) {
      trouble = "expired";
      say(expired ? "This link has expired. Ask the person who sent it for a new one."
        : "This link no longer works (it may have expired or been withdrawn). Ask the person who sent it for a new one.");
      video.removeAttribute("src");
      video.load();
      stopPolling();
    } else if (err && err.status === 404) {
      trouble = "gone";
      say("This recording is no longer there; going on with the next one.");
    } else {
      trouble = "offline";
      say("Offline, retrying\u2026");
    }
    highlight();
    return trouble;
  }

  function over() { return trouble === "expired" || trouble === "invalid" || trouble === "revoked"; }

  // stop ends the page for good: what is shown is all it can say.
  function stop(why, sentence) {
    trouble = why;
    say(sentence);
    if (source) source.stop();
    liveStop();
    video.removeAttribute("src");
    video.load();
    stopPolling();
    $("age").textContent = "";
    highlight();
    return trouble;
  }

  // After a playback error: ask for one byte to learn why.
  function diagnose() {
    if (!current || over()) return;
    var seg = current, at = Math.max(resumeAt, video.currentTime || 0);
    if (cfg.script) { problem(new TypeError("file")); retryLater(seg, at); return; }
    fetch(seg.url, { headers: { Range: "bytes=0-0" }, cache: "no-store" }).then(function (r) {
      if (r.ok) { // reachable again (or a blip): carry on where it stopped
        if (trouble === "offline") { trouble = ""; say(""); }
        if (current === seg) play(indexOf(seg), at);
        return;
      }
      var e = new Error("HTTP " + r.status); e.status = r.status; throw e;
    }).catch(function (e) {
      if (current !== seg) return;
      var t = problem(e);
      if (t === "gone") setTimeout(function () { if (current === seg) { trouble = ""; advance(); } }, 2000);
      if (t === "offline") retryLater(seg, at);
    });
  }
  function retryLater(seg, at) {
    resumeAt = at;
    setTimeout(function () { if (current === seg && trouble === "offline") diagnose(); }, 3000);
  }

  // ---- freshness: how old the newest footage is, LIVE only when true ----
  var liveFeed = false; // footage keeps arriving
  // LIVE only while the newest footage is what plays (or is awaited), not
  // while an older recording or day is watched.
  function freshnessBadge() { $("live").hidden = !(liveShown || !lapse && liveFeed && (!current || waiting || after(current) < 0)); }
  function freshness() {
    if (over()) { liveFeed = false; freshnessBadge(); return; }
    var last = segs.length ? segs[segs.length - 1] : null;
    var liveNow = false, text = "", old = false;
    if (!known) {
      text = "";
    } else if (!last) {
      text = doc.live ? "No recordings in this period yet." : "No recordings in this period.";
    } else {
      var end = endOf(last), late = Date.now() - end;
      liveNow = doc.live && !over() && late < 2 * typical() + 120000;
      if (liveNow) text = "Latest footage: " + ago(end) + ".";
      else if (doc.live) { text = "Camera offline since " + fLocalWhen.format(new Date(end)) + "."; old = true; }
      else text = "Recordings up to " + fLocalWhen.format(new Date(end)) + ".";
    }
    liveFeed = liveNow;
    freshnessBadge();
    $("age").textContent = text;
    $("age").className = old ? "old" : "";
    if (known && cfg.sealed && !doc.expires) $("expiry").textContent = "This link keeps working until the person who shared it withdraws it.";
    if (doc.expires) {
      $("expiry").textContent = Date.now() < doc.expires ? "This link works until " + fLocalWhen.format(new Date(doc.expires)) + "." : "This link has expired.";
      if (Date.now() >= doc.expires && trouble !== "expired") problem(null);
    }
  }

  // ---- polling: small, conditional, paused when hidden ----
  function poll() {
    pollTimer = 0;
    if (!doc.live || over()) return;
    if (document.hidden) return; // resumes on visibilitychange
    polls++;
    getDoc(cfg.latestURL).then(function (x) {
      if (trouble === "offline") { trouble = ""; say(""); if (current && video.error) play(indexOf(current), resumeAt); }
      setLatest(x);
      schedule(doc.poll || 15000);
    }, function (e) {
      if (problem(e, true) === "offline") schedule(5000);
    });
  }
  function schedule(ms) { if (!pollTimer && doc.live) pollTimer = setTimeout(poll, ms); }
  function stopPolling() { clearTimeout(pollTimer); pollTimer = 0; }
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) stopPolling();
    else if (!pollTimer) poll();
  });

  // ---- drawing: day picker, timeline with an hour ruler ----
  function dayBounds(d) {
    var info = days[d].info, off = (segs[0] || doc.recent[0] || { off: 0 }).off;
    var h = 3600000, start = Math.floor((info.first + off * 1000) / h) * h - off * 1000;
    var end = Math.ceil((Math.max(info.last, info.first + 1) + off * 1000) / h) * h - off * 1000;
    return { start: start, end: Math.max(end, start + h), off: off };
  }
  function render() {
    var pick = $("day"), keys = doc.days.map(function (d) { return d.day; }).reverse();
    var sig = doc.days.map(function (d) { return d.day + ":" + d.n; }).join();
    if (pick.dataset.sig !== sig) {
      pick.dataset.sig = sig;
      pick.textContent = "";
      keys.forEach(function (k) {
        var info = days[k].info, o = document.createElement("option");
        o.value = k;
        o.textContent = fDay.format(cam(info.first, (doc.recent[0] || { off: 0 }).off)) + " (" + info.n + (info.n === 1 ? " recording)" : " recordings)");
        pick.appendChild(o);
      });
    }
    pick.value = shownDay;
    pick.disabled = keys.length < 2;
    var tl = $("timeline"), ruler = $("ruler");
    Array.prototype.slice.call(tl.querySelectorAll(".run, .act")).forEach(function (b) { tl.removeChild(b); });
    ruler.textContent = "";
    if (shownDay && days[shownDay]) {
      var b = dayBounds(shownDay), span = b.end - b.start;
      // Runs of back-to-back segments: a few boxes rather than hundreds.
      var runs = [];
      segs.forEach(function (s) {
        if (dayOf(s) !== shownDay) return;
        var run = runs[runs.length - 1];
        if (run && s.ms - run.end < 2000) run.end = endOf(s);
        else runs.push({ start: s.ms, end: endOf(s) });
      });
      var draw = function (cls) {
        return function (r) {
          var el = document.createElement("div");
          el.className = cls;
          el.style.left = (100 * (r.start - b.start) / span) + "%";
          el.style.width = (100 * (r.end - r.start) / span) + "%";
          tl.appendChild(el);
        };
      };
      runs.forEach(draw("run"));
      activityRuns(shownDay).forEach(draw("act"));
      var hours = span / 3600000, width = tl.clientWidth || 300, step = 1;
      while (hours / step * 56 > width) step = step < 3 ? step + 1 : step * 2;
      for (var t = b.start; t <= b.end; t += step * 3600000) {
        var lab = document.createElement("span");
        lab.style.left = (100 * (t - b.start) / span) + "%";
        lab.textContent = fHour.format(cam(t, b.off));
        ruler.appendChild(lab);
      }
    }
    freshness();
    highlight();
  }
  // ---- activity (the sidecars' active seconds per 10 s, in seg.act) ----
  // activeWindows lists the starts (ms) of the 10 s windows with activity,
  // in order; a run of back-to-back windows is one stretch of activity.
  function activeWindows(day) {
    var out = [];
    segs.forEach(function (s) {
      if (day && dayOf(s) !== day) return;
      (s.act || []).forEach(function (n, j) { if (n > 0) out.push(s.ms + j * 10000); });
    });
    return out;
  }
  function activityRuns(day) {
    var runs = [];
    activeWindows(day).forEach(function (t) {
      var run = runs[runs.length - 1];
      if (run && t - run.end < 1000) run.end = t + 10000;
      else runs.push({ start: t, end: t + 10000 });
    });
    return runs;
  }
  // jumpActivity plays from the start of the next (dir 1) or previous (-1)
  // stretch of activity, seen from the moment playing.
  function jumpActivity(dir) {
    var now = current ? current.ms + (video.currentTime || 0) * 1000 : Date.now();
    var starts = activityRuns("").map(function (r) { return r.start; });
    var pick = -1;
    for (var k = 0; k < starts.length; k++) {
      if (dir > 0 && starts[k] > now + 1000) { pick = starts[k]; break; }
      if (dir < 0 && starts[k] < now - 3000) pick = starts[k];
    }
    if (pick < 0) { say(dir > 0 ? "No later activity in these recordings." : "No earlier activity in these recordings."); return; }
    for (var i = 0; i < segs.length; i++) {
      if (pick >= segs[i].ms && pick < endOf(segs[i])) { play(i, Math.max(0, (pick - segs[i].ms) / 1000 - 2)); return; }
    }
  }

  function highlight() {
    var none = !segs.length || over();
    $("activity").hidden = !activeWindows("").length;
    freshnessBadge();
    $("prev").disabled = none || !current || before(current) < 0;
    $("next").disabled = none || !current || after(current) < 0;
    $("save").disabled = none || !current;
    $("latest").disabled = none;
    lapseButton();
    tick();
  }

  // tick shows where the player is, in camera time and on the timeline.
  function tick() {
    var tl = $("timeline"), m = $("marker");
    if (lapse) { m.style.display = "none"; $("now").textContent = fDayShort.format(cam(lapse.seg.ms, lapse.seg.off)) + ", the whole day"; return; }
    if (!current || !shownDay || !days[shownDay]) { m.style.display = "none"; return; }
    var at = current.ms + Math.floor((video.currentTime || 0) * 1000);
    var newest = doc.days.length ? doc.days[doc.days.length - 1].day : "";
    $("now").textContent = (dayOf(current) === newest ? "" : fDayShort.format(cam(at, current.off)) + ", ") + camTime(at, current.off);
    var b = dayBounds(shownDay), frac = (at - b.start) / (b.end - b.start);
    m.style.display = dayOf(current) === shownDay ? "block" : "none";
    m.style.left = Math.min(100, Math.max(0, 100 * frac)) + "%";
    tl.setAttribute("aria-valuemin", "0");
    tl.setAttribute("aria-valuemax", String(Math.round((b.end - b.start) / 1000)));
    tl.setAttribute("aria-valuenow", String(Math.round((at - b.start) / 1000)));
    tl.setAttribute("aria-valuetext", fDay.format(cam(at, current.off)) + ", " + camTime(at, current.off));
  }

  // ---- the timeline: tap, drag (time and a picture under the finger), keys ----
  function timeAt(x) {
    var r = $("timeline").getBoundingClientRect(), b = dayBounds(shownDay);
    return b.start + Math.min(1, Math.max(0, (x - r.left) / r.width)) * (b.end - b.start);
  }
  function segAt(t) {
    var best = -1;
    for (var i = 0; i < segs.length; i++) {
      if (dayOf(segs[i]) !== shownDay) continue;
      if (segs[i].ms <= t) best = i;
      else { if (best < 0 || t - endOf(segs[best]) > segs[i].ms - t) best = i; break; }
    }
    return best;
  }
  function bubble(x) {
    var t = timeAt(x), i = segAt(t), bb = $("bubble"), r = $("timeline").getBoundingClientRect();
    bb.hidden = false;
    bb.style.left = Math.min(r.width - 66, Math.max(66, x - r.left)) + "px";
    var off = (segs[i] || { off: 0 }).off;
    $("btime").textContent = fShort.format(cam(t, off));
    var c = $("thumb"), g = c.getContext("2d");
    g.fillStyle = "#222"; g.fillRect(0, 0, c.width, c.height);
    if (i >= 0 && thumbs[segs[i].path]) g.drawImage(thumbs[segs[i].path], 0, 0, c.width, c.height);
    return { t: t, i: i };
  }
  function jump(t, i) {
    if (i < 0) return;
    play(i, Math.max(0, (t - segs[i].ms) / 1000));
  }
  var tl = $("timeline"), dragging = false;
  tl.addEventListener("pointerdown", function (ev) {
    if (!shownDay) return;
    dragging = true;
    try { tl.setPointerCapture(ev.pointerId); } catch (e) { /* a pointer the browser does not track (synthetic): drag without capture */ }
    bubble(ev.clientX);
  });
  tl.addEventListener("pointermove", function (ev) { if (dragging) bubble(ev.clientX); });
  tl.addEventListener("pointerup", function (ev) {
    if (!dragging) return;
    dragging = false;
    var at = bubble(ev.clientX);
    $("bubble").hidden = true;
    jump(at.t, at.i);
  });
  tl.addEventListener("pointercancel", function () { dragging = false; $("bubble").hidden = true; });
  tl.addEventListener("keydown", function (ev) {
    if (!current) return;
    var at = current.ms + (video.currentTime || 0) * 1000, i;
    switch (ev.key) {
      case "ArrowLeft": case "ArrowDown": i = before(current); if (i >= 0) play(i); break;
      case "ArrowRight": case "ArrowUp": i = after(current); if (i >= 0) play(i); break;
      case "PageUp": jump(at - 3600000, segAt(at - 3600000)); break;
      case "PageDown": jump(at + 3600000, segAt(at + 3600000)); break;
      case "Home": for (i = 0; i < segs.length && dayOf(segs[i]) !== shownDay; i++); play(i); break;
      case "End": playLatest(); break;
      default: return;
    }
    ev.preventDefault();
  });

  // A frame of each segment played, for the scrub bubble: no server work.
  video.addEventListener("loadeddata", function () {
    if (lapse || !current || thumbs[current.path] || !video.videoWidth) return;
    var c = document.createElement("canvas");
    c.width = 128; c.height = 72;
    try { c.getContext("2d").drawImage(video, 0, 0, c.width, c.height); thumbs[current.path] = c; } catch (e) { /* no frame */ }
  });

  // ---- the day in a minute: the day's timelapse (ship uploads it after midnight) ----
  // It plays in the same <video>, one picture a minute at 30 fps. The
  // recording that was playing stays current: the button (then "Back to
  // the recordings") or any moment chosen (timeline, Earlier, Later, a day,
  // Jump to latest) goes back to the recordings.
  var lapse = null; // {day, seg} while a timelapse is in the player
  function lapseOf(d) { return d && days[d] && days[d].info.tl || null; }
  function lapseButton() {
    var b = $("daylapse");
    b.hidden = !lapse && (!lapseOf(shownDay) || over());
    b.textContent = lapse ? "Back to the recordings" : "\u25b6 The day in a minute";
  }
  function playLapse(d) {
    var tl = lapseOf(d);
    if (!tl) return;
    liveStop();
    var off = (current || segs[segs.length - 1] || { off: 0 }).off;
    var seg = { url: tl.url, key: tl.key, size: tl.size, path: "timelapse " + d, ms: days[d].info.first, off: off };
    lapse = { day: d, seg: seg };
    waiting = false;
    seekTo = 0;
    if (source) source.stop();
    source = sourceFor(seg);
    var failed = source.start(seg, startPlayer);
    if (failed) failed.catch(function () { lapseFailed(seg); });
    highlight();
  }
  function lapseEnded() { say("That was the whole day. \u201cBack to the recordings\u201d plays on where you were."); }
  function lapseFailed(seg) {
    if (!lapse || lapse.seg !== seg) return;
    lapseBack();
    say("The day in a minute can\u2019t be shown here; back to the recordings.");
  }
  function lapseBack() {
    var i = indexOf(current);
    lapse = null;
    if (i >= 0) play(i, resumeAt);
    else playLatest();
  }
  function lapseFileName(seg) { return cameraName() + " " + cam(seg.ms, seg.off).toISOString().slice(0, 10) + " day in a minute.mp4"; }

  // ---- saving one moment ----
  function cameraName() { return (doc.camera || doc.title || "camera").replace(/[\\/:*?"<>|]+/g, " ").trim(); }
  function fileName(seg) {
    var d = cam(seg.ms, seg.off).toISOString();
    return cameraName() + " " + d.slice(0, 10) + " " + d.slice(11, 19).replace(/:/g, ".") + ".mp4";
  }
  $("save").onclick = function () {
    var seg = lapse ? lapse.seg : current;
    if (!seg) return;
    say("Saving " + (lapse ? "the day in a minute" : camTime(seg.ms, seg.off)) + "\u2026");
    segmentBytes(seg).then(function (bytes) {
      var blob = new Blob([bytes], { type: "video/mp4" }), name = lapse ? lapseFileName(seg) : fileName(seg);
      var file = window.File ? new File([blob], name, { type: "video/mp4" }) : null;
      if (file && navigator.canShare && navigator.canShare({ files: [file] }) && window.matchMedia("(pointer: coarse)").matches) {
        return navigator.share({ files: [file], title: name }).then(function () { say(""); });
      }
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(a.href); }, 60000);
      say("Saved as \u201c" + name + "\u201d.");
    }).catch(function (e) { if (e && e.name === "AbortError") say(""); else problem(e); });
  };

  // ---- wiring ----
  video.addEventListener("ended", function () { if (lapse) lapseEnded(); else advance(); });
  video.addEventListener("timeupdate", function () {
    if (video.currentTime > 0) { lastProgress = Date.now(); if (!lapse) resumeAt = video.currentTime; }
    if (trouble === "offline" && !video.paused) { trouble = ""; say(""); }
    tick();
  });
  var firstPicture = 0; // ms from navigation to the first picture (benchmarks)
  video.addEventListener("playing", function () { if (!firstPicture) firstPicture = performance.now(); });
  video.addEventListener("playing", function () { if (trouble === "offline" || trouble === "gone") trouble = ""; if (!trouble) say(""); });
  video.addEventListener("waiting", function () { if (!trouble) say("Loading\u2026"); });
  // Bytes still arriving (a slow link, a long recording) are not a stall.
  video.addEventListener("progress", function () { lastProgress = Date.now(); });
  video.addEventListener("loadedmetadata", function () {
    if (seekTo > 0 && seekTo < video.duration) video.currentTime = seekTo;
    seekTo = 0;
  });
  // A sealed source reports its own failures (sourceFailed); for a plain
  // one the player's error is all there is.
  video.addEventListener("error", function () { if (lapse) lapseFailed(lapse.seg); else if (!(current && current.key)) diagnose(); });
  // A stall that never ends (a dead connection) counts as an error.
  setInterval(function () {
    if (current && !lapse && !video.paused && !video.ended && !trouble && Date.now() - lastProgress > 15000) { lastProgress = Date.now(); diagnose(); }
    freshness();
  }, 5000);
  $("prevact").onclick = function () { jumpActivity(-1); };
  $("daylapse").onclick = function () { if (lapse) lapseBack(); else playLapse(shownDay); };
  $("nextact").onclick = function () { jumpActivity(1); };
  // Prev at a day's first recording goes on into the day before.
  $("prev").onclick = function () {
    var i = before(current);
    if (i >= 0) { play(i); return; }
    var d = current && dayNext(dayOf(current), -1);
    if (d) loadDay(d).then(function () { var j = before(current); if (j >= 0) play(j); });
  };
  $("next").onclick = function () { var i = after(current); if (i >= 0) play(i); };
  $("latest").onclick = function () {
    var newest = doc.days.length ? doc.days[doc.days.length - 1].day : "";
    shownDay = newest;
    playLatest();
    render();
  };
  $("sound").onclick = function () { video.muted = false; $("sound").hidden = true; video.play(); };
  $("day").onchange = function () {
    var d = this.value;
    shownDay = d;
    render();
    loadDay(d).then(function () {
      for (var i = 0; i < segs.length; i++) if (dayOf(segs[i]) === d) { play(i); return; }
    });
  };
  var zoneOff = (doc.recent[0] || { off: -new Date().getTimezoneOffset() * 60 }).off, mine = -new Date().getTimezoneOffset() * 60;
  if (zoneOff !== mine) {
    var h = Math.abs(zoneOff - mine) / 3600;
    $("zone").textContent = "Times are the camera\u2019s local time, " + (Math.round(h * 10) / 10) + (h === 1 ? " hour " : " hours ") + (zoneOff > mine ? "ahead of" : "behind") + " yours.";
  }

  // Tests and curious people: window.camshare.state().
  window.camshare = {
    state: function () {
      return { segments: segs.length, current: current && current.path, waiting: waiting, live: !$("live").hidden, damaged: damaged.slice(), firstPicture: firstPicture, playedAs: playedAs,
        trouble: trouble, played: played.slice(), polls: polls, days: Object.keys(days).length, lapse: lapse ? lapse.day : "",
        loadedDays: Object.keys(days).filter(function (d) { return days[d].segs; }).length };
    }
  };

  window.camshare.live = liveSnapshot;

  // Start: the embedded copy at once, then the newest from latest.json.
  if (known) setLatest(doc); else render();
  // Just after midnight the newest day holds only minutes: the day before
  // comes too, so the last hour is all there (and Prev steps into it).
  var start = function () {
    var newest = doc.days.length ? doc.days[doc.days.length - 1].day : "";
    playLatest();
    if (!newest) return;
    loadDay(newest);
    var yesterday = dayNext(newest, -1);
    if (yesterday && Date.now() - days[newest].info.first < 3600e3) loadDay(yesterday);
  };
  if ((doc.live || !known) && cfg.latestURL) {
    if (!known) say("Opening\u2026");
    getDoc(cfg.latestURL).then(function (x) { if (!over()) say(""); setLatest(x); }, function (e) { problem(e, true); })
      .then(function () { start(); schedule(doc.poll || 15000); });
  } else start();
})();
