// camshare's share page: plays the segments back to back in one <video>,
// newest first, and follows new ones by re-reading the live index.
//
// The index is fetched with cache: "no-store" from a link fixed when the
// page was made (a presigned S3 URL can't take cache-busting parameters: the
// signature covers the query). Opened from disk (file://), Chromium refuses
// fetch, so the page re-inserts a script element loading index.js, which sets
// window.camshareIndex.
(function () {
  "use strict";
  var cfg = CAMSHARE;
  var video = document.getElementById("video");
  var $ = function (id) { return document.getElementById(id); };
  var segs = [];        // oldest first
  var current = null;   // the segment in the player
  var waiting = false;  // at the newest, waiting for the next one
  var live = false;
  var seekTo = 0;       // seconds into the next loaded segment (timeline taps)
  var shown = null;     // the segment list last rendered

  var DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function pad(n) { return n < 10 ? "0" + n : "" + n; }
  // Wall clock in the camera's zone: shift by its offset, read as UTC.
  function wall(ms, off) { return new Date(ms + off * 1000); }
  function clock(ms, off) { var d = wall(ms, off); return pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + ":" + pad(d.getUTCSeconds()); }
  function day(ms, off) { var d = wall(ms, off); return DAYS[d.getUTCDay()] + " " + d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear(); }
  function hour(ms, off) { return pad(wall(ms, off).getUTCHours()) + ":00"; }
  function zone(off) { var a = Math.abs(off) / 60; return "UTC" + (off < 0 ? "-" : "+") + pad(Math.floor(a / 60)) + ":" + pad(a % 60); }
  function endOf(i) { return segs[i].end_ms || (i + 1 < segs.length ? segs[i + 1].ms : segs[i].ms + 60000); }
  function status(text) { $("status").textContent = text; }
  function order(a, b) { return a.ms - b.ms || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0); }
  function indexOf(seg) {
    if (!seg) return -1;
    for (var i = 0; i < segs.length; i++) if (segs[i].path === seg.path) return i;
    return -1;
  }
  // The first segment after seg, even when seg has left a rolling window.
  function after(seg) {
    for (var i = 0; i < segs.length; i++) if (order(segs[i], seg) > 0) return i;
    return -1;
  }

  function play(i, offset) {
    var seg = segs[i];
    current = seg;
    waiting = false;
    seekTo = offset || 0;
    video.src = seg.url;
    var p = video.play();
    if (p && p.catch) {
      p.catch(function (err) {
        // Phones refuse sound without a tap: play muted, offer the tap.
        if (err && err.name === "NotAllowedError" && !video.muted) {
          video.muted = true;
          $("sound").hidden = false;
          video.play().catch(function () { status("Tap play to start"); });
        }
      });
    }
    status("");
    highlight();
  }

  function advance() {
    var i = current ? after(current) : segs.length - 1;
    if (i >= 0) { play(i); return; }
    waiting = true;
    status(live ? "Waiting for the next segment\u2026" : "End of the selection.");
  }

  function setIndex(ix) {
    if (!ix || !ix.segments) return;
    segs = ix.segments.slice().sort(order);
    live = !!ix.live;
    $("live").hidden = !live;
    var fresh = indexOf(current);
    if (fresh >= 0 && segs[fresh].url !== current.url) current = segs[fresh]; // keep the renewed link
    var sig = segs.map(function (s) { return s.path; }).join("|");
    if (sig !== shown) { shown = sig; render(); } // unchanged: leave the list (and what the viewer opened) alone
    if (waiting && (current ? after(current) >= 0 : segs.length > 0)) advance();
  }

  function render() {
    var list = $("list"), opened = {};
    Array.prototype.slice.call(list.querySelectorAll("details")).forEach(function (d) {
      opened[d.firstChild.textContent] = d.open;
    });
    list.textContent = "";
    if (!segs.length) {
      status(live ? "No footage yet: waiting for the first segment\u2026" : "No footage in this selection.");
      return;
    }
    $("zone").textContent = zone(segs[segs.length - 1].offset);
    // Newest day and hour first: what family wants is usually the latest.
    var days = {}, dayOrder = [];
    for (var i = segs.length - 1; i >= 0; i--) {
      var s = segs[i], d = day(s.ms, s.offset), h = hour(s.ms, s.offset);
      if (!days[d]) { days[d] = { hours: {}, order: [] }; dayOrder.push(d); }
      if (!days[d].hours[h]) { days[d].hours[h] = []; days[d].order.push(h); }
      days[d].hours[h].unshift(i);
    }
    dayOrder.forEach(function (d, n) {
      var det = document.createElement("details");
      det.open = d in opened ? opened[d] : n === 0;
      var sum = document.createElement("summary");
      sum.textContent = d;
      det.appendChild(sum);
      days[d].order.forEach(function (h) {
        var row = document.createElement("div");
        row.className = "hour";
        var label = document.createElement("b");
        label.textContent = h;
        var chips = document.createElement("div");
        days[d].hours[h].forEach(function (i) {
          var b = document.createElement("button");
          b.type = "button";
          b.className = "seg";
          b.dataset.path = segs[i].path;
          var c = clock(segs[i].ms, segs[i].offset);
          b.textContent = c.slice(6) === "00" ? c.slice(0, 5) : c; // seconds only when they tell segments apart
          b.title = clock(segs[i].ms, segs[i].offset);
          b.onclick = function () { play(indexOf({ path: b.dataset.path })); };
          chips.appendChild(b);
        });
        row.appendChild(label);
        row.appendChild(chips);
        det.appendChild(row);
      });
      list.appendChild(det);
    });
    var first = segs[0], last = segs.length - 1;
    $("tl-start").textContent = day(first.ms, first.offset).slice(0, 10) + " " + clock(first.ms, first.offset).slice(0, 5);
    $("tl-end").textContent = clock(endOf(last), segs[last].offset).slice(0, 5);
    var tl = $("timeline");
    Array.prototype.slice.call(tl.querySelectorAll(".block")).forEach(function (b) { tl.removeChild(b); });
    var span = Math.max(endOf(last) - first.ms, 1);
    segs.forEach(function (s, i) {
      var b = document.createElement("div");
      b.className = "block";
      b.dataset.path = s.path;
      b.style.left = (100 * (s.ms - first.ms) / span) + "%";
      b.style.width = (100 * (endOf(i) - s.ms) / span) + "%";
      tl.appendChild(b);
    });
    highlight();
  }

  function highlight() {
    var path = current ? current.path : "";
    Array.prototype.slice.call(document.querySelectorAll("[data-path]")).forEach(function (el) {
      el.classList.toggle("playing", el.dataset.path === path);
    });
    var i = indexOf(current);
    $("prev").disabled = !(current && i !== 0 && segs.length && order(segs[0], current) < 0);
    $("next").disabled = !(current && after(current) >= 0);
    tick();
  }

  // tick shows where the player is, in camera time and on the timeline.
  function tick() {
    if (!current) return;
    var at = current.ms + Math.floor((video.currentTime || 0) * 1000);
    $("now").textContent = day(at, current.offset).slice(0, 10) + "  " + clock(at, current.offset);
    if (!segs.length) return;
    var first = segs[0].ms, span = Math.max(endOf(segs.length - 1) - first, 1);
    var m = $("marker");
    m.style.display = "block";
    m.style.left = Math.min(100, Math.max(0, 100 * (at - first) / span)) + "%";
  }

  function poll() {
    if (cfg.indexURL) {
      fetch(cfg.indexURL, { cache: "no-store" }).then(function (r) {
        if (r.status === 403) throw new Error("this page's link has expired: ask for a new one");
        if (!r.ok) throw new Error("index: HTTP " + r.status);
        return r.json();
      }).then(setIndex).catch(function (e) { if (waiting || !current) status(String(e.message || e)); });
    } else if (cfg.indexJS) {
      var s = document.createElement("script");
      s.src = cfg.indexJS + "?t=" + Date.now(); // not presigned: free to bust caches
      s.onload = function () { s.remove(); setIndex(window.camshareIndex); };
      s.onerror = function () { s.remove(); };
      document.head.appendChild(s);
    }
  }

  video.addEventListener("ended", advance);
  video.addEventListener("timeupdate", tick);
  video.addEventListener("loadedmetadata", function () {
    if (seekTo > 0 && seekTo < video.duration) video.currentTime = seekTo;
    seekTo = 0;
  });
  video.addEventListener("error", function () {
    if (!current) return;
    status("Can't play " + clock(current.ms, current.offset) + " (link expired or file gone); skipping.");
    var from = current;
    setTimeout(function () { if (current === from) advance(); }, 3000);
  });
  $("prev").onclick = function () {
    var i = indexOf(current);
    if (i < 0) i = after(current);
    if (i > 0) play(i - 1);
  };
  $("next").onclick = function () { var i = after(current); if (i >= 0) play(i); };
  $("sound").onclick = function () { video.muted = false; $("sound").hidden = true; video.play(); };
  $("timeline").onclick = function (ev) {
    if (!segs.length) return;
    var r = this.getBoundingClientRect(), first = segs[0].ms;
    var t = first + (ev.clientX - r.left) / r.width * (endOf(segs.length - 1) - first);
    for (var i = segs.length - 1; i >= 0; i--) {
      if (segs[i].ms <= t) { play(i, (t - segs[i].ms) / 1000); return; }
    }
    play(0);
  };

  // Tests and curious people: window.camshare.state().
  window.camshare = {
    state: function () { return { segments: segs.length, current: current && current.path, waiting: waiting, live: live }; },
    play: function (i) { play(i); }
  };

  setIndex(cfg.index);
  if (segs.length) play(segs.length - 1);
  else waiting = true;
  if (cfg.pollMs > 0) setInterval(function () { if (live) poll(); }, cfg.pollMs);
})();
