// camshare's share page: starts at the newest footage, plays segments back
// to back in one <video>, and follows new ones by polling latest.json (a
// small document; the browser revalidates it, so an unchanged one costs a
// 304). Older days load when the viewer picks them. Nothing but the page's
// own documents and the footage is fetched.
//
// Every document and every byte of footage the page reads goes through
// getBytes() and reveal(): the one place a decrypt step belongs. The URL
// fragment (#…) is left alone for it. Opened from disk (file://), fetch is
// refused, so documents come as scripts calling camshareDoc().
(function () {
  "use strict";
  var cfg = CAMSHARE;
  var $ = function (id) { return document.getElementById(id); };
  var video = $("video");
  var doc = cfg.latest;  // the latest document (embedded copy until fetched)
  var days = {};         // day → {info, segs (null until loaded), loading}
  var segs = [];         // every loaded segment, oldest first
  var current = null, waiting = false, seekTo = 0, resumeAt = 0;
  var shownDay = "";     // the day on the timeline
  var thumbs = {};       // path → canvas with a frame of that segment
  var played = [];       // paths in the order they started (tests, and "resume")
  var trouble = "";      // "", "offline", "expired", "gone"
  var lastProgress = Date.now(), pollTimer = 0, polls = 0;

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

  // ---- fetching: the one way bytes come in ----
  function reveal(bytes) { return bytes; } // encrypted archives: decrypt here
  function getBytes(url) {
    return fetch(url, { cache: "no-cache" }).then(function (r) {
      if (!r.ok) { var e = new Error("HTTP " + r.status); e.status = r.status; throw e; }
      return r.arrayBuffer();
    }).then(reveal);
  }
  var scriptDocs = {};
  window.camshareDoc = function (name, data) { var cb = scriptDocs[name]; delete scriptDocs[name]; if (cb) cb(data); };
  function getDoc(url) {
    if (cfg.script) {
      return new Promise(function (ok, fail) {
        var s = document.createElement("script"), name = url.split("/").pop();
        scriptDocs[name] = ok;
        s.src = url + "?t=" + Date.now(); // not presigned: free to bust caches
        s.onload = function () { s.remove(); };
        s.onerror = function () { s.remove(); delete scriptDocs[name]; fail(new TypeError("unreachable")); };
        document.head.appendChild(s);
      });
    }
    return getBytes(url).then(function (b) { return JSON.parse(new TextDecoder().decode(b)); });
  }
  function sourceOf(seg) { return seg.url; } // the player streams it itself

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
      }, function (e) { day.loading = null; trouble = ""; problem(e); });
    }
    return day.loading;
  }

  // setLatest takes a latest document: days, newest segments, expiry.
  function setLatest(x) {
    doc = x;
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
  }

  // ---- playing ----
  function play(i, offset) {
    var seg = segs[i];
    if (!seg) return;
    current = seg;
    waiting = false;
    seekTo = offset || 0;
    resumeAt = seekTo;
    lastProgress = Date.now();
    played.push(seg.path);
    video.src = sourceOf(seg);
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
    if (dayOf(seg) !== shownDay) { shownDay = dayOf(seg); render(); }
    if (!trouble) say("");
    highlight();
  }

  function playLatest() {
    if (segs.length) play(segs.length - 1);
    else waiting = true;
  }

  function advance() {
    var i = current ? after(current) : segs.length - 1;
    if (i >= 0) { play(i); return; }
    // The next day may not be loaded yet.
    var ds = doc.days.map(function (d) { return d.day; }), at = current ? ds.indexOf(dayOf(current)) : -1;
    if (at >= 0 && at + 1 < ds.length) { loadDay(ds[at + 1]).then(function () { if (after(current) >= 0) advance(); }); return; }
    waiting = true;
    if (!trouble) say(doc.live ? "That was the newest recording. The next one appears here when the camera sends it." : "End of the recordings shared here.");
    highlight();
  }

  // problem explains a failed fetch or playback in plain words and decides
  // what happens next: offline waits and resumes, gone skips, expired stops.
  function problem(err) {
    // A 403 near the end of the link's life is its expiry (the server's
    // clock and the signature's second may run a little ahead of ours).
    var expired = doc.expires && (Date.now() >= doc.expires || (err && err.status === 403 && Date.now() >= doc.expires - 120000));
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

  // After a playback error: ask for one byte to learn why.
  function diagnose() {
    if (!current || trouble === "expired") return;
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
  function freshness() {
    var last = segs.length ? segs[segs.length - 1] : null;
    var liveNow = false, text = "", old = false;
    if (!last) {
      text = doc.live ? "No recordings in this period yet." : "No recordings in this period.";
    } else {
      var end = endOf(last), late = Date.now() - end;
      liveNow = doc.live && trouble !== "expired" && late < 2 * typical() + 120000;
      if (liveNow) text = "Latest footage: " + ago(end) + ".";
      else if (doc.live) { text = "Camera offline since " + fLocalWhen.format(new Date(end)) + "."; old = true; }
      else text = "Recordings up to " + fLocalWhen.format(new Date(end)) + ".";
    }
    $("live").hidden = !liveNow;
    $("age").textContent = text;
    $("age").className = old ? "old" : "";
    if (doc.expires) {
      $("expiry").textContent = Date.now() < doc.expires ? "This link works until " + fLocalWhen.format(new Date(doc.expires)) + "." : "This link has expired.";
      if (Date.now() >= doc.expires && trouble !== "expired") problem(null);
    }
  }

  // ---- polling: small, conditional, paused when hidden ----
  function poll() {
    pollTimer = 0;
    if (!doc.live || trouble === "expired") return;
    if (document.hidden) return; // resumes on visibilitychange
    polls++;
    getDoc(cfg.latestURL).then(function (x) {
      if (trouble === "offline") { trouble = ""; say(""); if (current && video.error) play(indexOf(current), resumeAt); }
      setLatest(x);
      schedule(doc.poll || 15000);
    }, function (e) {
      if (problem(e) === "offline") schedule(5000);
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
    Array.prototype.slice.call(tl.querySelectorAll(".run")).forEach(function (b) { tl.removeChild(b); });
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
      runs.forEach(function (r) {
        var el = document.createElement("div");
        el.className = "run";
        el.style.left = (100 * (r.start - b.start) / span) + "%";
        el.style.width = (100 * (r.end - r.start) / span) + "%";
        tl.appendChild(el);
      });
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
  function highlight() {
    var none = !segs.length;
    $("prev").disabled = none || !current || before(current) < 0;
    $("next").disabled = none || !current || after(current) < 0;
    $("save").disabled = none || !current;
    $("latest").disabled = none;
    tick();
  }

  // tick shows where the player is, in camera time and on the timeline.
  function tick() {
    var tl = $("timeline"), m = $("marker");
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
    if (tl.setPointerCapture) tl.setPointerCapture(ev.pointerId);
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
    if (!current || thumbs[current.path] || !video.videoWidth) return;
    var c = document.createElement("canvas");
    c.width = 128; c.height = 72;
    try { c.getContext("2d").drawImage(video, 0, 0, c.width, c.height); thumbs[current.path] = c; } catch (e) { /* no frame */ }
  });

  // ---- saving one moment ----
  function fileName(seg) {
    var who = (doc.camera || doc.title || "camera").replace(/[\\/:*?"<>|]+/g, " ").trim();
    var d = cam(seg.ms, seg.off).toISOString();
    return who + " " + d.slice(0, 10) + " " + d.slice(11, 19).replace(/:/g, ".") + ".mp4";
  }
  $("save").onclick = function () {
    var seg = current;
    if (!seg) return;
    say("Saving " + camTime(seg.ms, seg.off) + "\u2026");
    getBytes(seg.url).then(function (bytes) {
      var blob = new Blob([bytes], { type: "video/mp4" }), name = fileName(seg);
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
  video.addEventListener("ended", advance);
  video.addEventListener("timeupdate", function () {
    if (video.currentTime > 0) { lastProgress = Date.now(); resumeAt = video.currentTime; }
    if (trouble === "offline" && !video.paused) { trouble = ""; say(""); }
    tick();
  });
  video.addEventListener("playing", function () { if (trouble === "offline" || trouble === "gone") trouble = ""; if (!trouble) say(""); });
  video.addEventListener("waiting", function () { if (!trouble) say("Loading\u2026"); });
  video.addEventListener("loadedmetadata", function () {
    if (seekTo > 0 && seekTo < video.duration) video.currentTime = seekTo;
    seekTo = 0;
  });
  video.addEventListener("error", diagnose);
  // A stall that never ends (a dead connection) counts as an error.
  setInterval(function () {
    if (current && !video.paused && !video.ended && !trouble && Date.now() - lastProgress > 15000) { lastProgress = Date.now(); diagnose(); }
    freshness();
  }, 5000);
  $("prev").onclick = function () { var i = before(current); if (i >= 0) play(i); };
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
      return { segments: segs.length, current: current && current.path, waiting: waiting, live: !$("live").hidden,
        trouble: trouble, played: played.slice(), polls: polls, days: Object.keys(days).length,
        loadedDays: Object.keys(days).filter(function (d) { return days[d].segs; }).length };
    }
  };

  // Start: the embedded copy at once, then the newest from latest.json.
  setLatest(doc);
  var start = function () {
    var newest = doc.days.length ? doc.days[doc.days.length - 1].day : "";
    playLatest();
    if (newest) loadDay(newest);
  };
  if (doc.live && cfg.latestURL) {
    getDoc(cfg.latestURL).then(setLatest, problem).then(function () { start(); schedule(doc.poll || 15000); });
  } else start();
})();
