// shotcheck review pages: the page viewer, field <-> box selection, keyboard shortcuts.
// Plain JS, no build step; the pages work without it (forms post), this makes them fast.
(function () {
  "use strict";

  // ---- Page viewer: zoom, pan and rotate by changing the SVG viewBox (boxes follow). ----
  function Viewer(stage) {
    this.stage = stage;
    this.pages = Array.prototype.slice.call(stage.querySelectorAll("svg.page"));
    this.index = 0; this.zoom = 1; this.rot = 0; this.cx = null; this.cy = null;
    this.show(0);
  }
  Viewer.prototype.svg = function () { return this.pages[this.index]; };
  Viewer.prototype.size = function () {
    var svg = this.svg();
    return { w: +svg.dataset.width, h: +svg.dataset.height };
  };
  Viewer.prototype.show = function (i) {
    if (!this.pages.length) return;
    this.index = Math.max(0, Math.min(this.pages.length - 1, i));
    this.pages.forEach(function (svg, j) { svg.hidden = j !== this.index; }, this);
    this.reset();
    var label = document.getElementById("page-label");
    if (label) label.textContent = "Page " + (this.index + 1) + " of " + this.pages.length;
  };
  Viewer.prototype.reset = function () {
    var s = this.size(); this.zoom = 1; this.cx = s.w / 2; this.cy = s.h / 2; this.apply();
  };
  Viewer.prototype.apply = function () {
    if (!this.pages.length) return;
    var s = this.size(), turned = this.rot % 180 !== 0;
    var w = (turned ? s.h : s.w) / this.zoom, h = (turned ? s.w : s.h) / this.zoom;
    var svg = this.svg();
    svg.setAttribute("viewBox", [this.cx - w / 2, this.cy - h / 2, w, h].join(" "));
    svg.querySelector("g.turn").setAttribute(
      "transform", "rotate(" + this.rot + " " + s.w / 2 + " " + s.h / 2 + ")");
    var zl = document.getElementById("zoom-label");
    if (zl) zl.textContent = Math.round(this.zoom * 100) + " %";
  };
  Viewer.prototype.zoomBy = function (f) {
    this.zoom = Math.max(1, Math.min(8, this.zoom * f)); this.apply();
  };
  Viewer.prototype.rotate = function () {
    var s = this.size(); this.rot = (this.rot + 90) % 360; this.cx = s.w / 2; this.cy = s.h / 2;
    this.apply();
  };
  Viewer.prototype.unitsPerPixel = function () {
    var vb = this.svg().viewBox.baseVal, r = this.stage.getBoundingClientRect();
    return Math.max(vb.width / r.width, vb.height / r.height);
  };
  Viewer.prototype.pan = function (dxPx, dyPx) {
    var u = this.unitsPerPixel(); this.cx += dxPx * u; this.cy += dyPx * u; this.apply();
  };
  // Where a page point lands after the rotation about the page centre.
  Viewer.prototype.turned = function (x, y) {
    var s = this.size(), a = this.rot * Math.PI / 180, ox = s.w / 2, oy = s.h / 2;
    var dx = x - ox, dy = y - oy;
    return { x: ox + dx * Math.cos(a) - dy * Math.sin(a), y: oy + dx * Math.sin(a) + dy * Math.cos(a) };
  };
  Viewer.prototype.focusBox = function (rect) {
    var svg = rect.ownerSVGElement, i = this.pages.indexOf(svg);
    if (i !== this.index) this.show(i);
    if (this.zoom < 1.6) this.zoom = 1.6; // close enough to read a handwritten date
    var p = this.turned(+rect.getAttribute("x") + rect.getAttribute("width") / 2,
                        +rect.getAttribute("y") + rect.getAttribute("height") / 2);
    this.cx = p.x; this.cy = p.y; this.apply();
  };

  function bindViewer(viewer) {
    var stage = viewer.stage;
    document.querySelectorAll("[data-view]").forEach(function (b) {
      b.addEventListener("click", function () {
        var act = b.dataset.view;
        if (act === "zoom-in") viewer.zoomBy(1.25);
        else if (act === "zoom-out") viewer.zoomBy(0.8);
        else if (act === "fit") viewer.reset();
        else if (act === "rotate") viewer.rotate();
        else if (act === "next-page") viewer.show(viewer.index + 1);
        else if (act === "prev-page") viewer.show(viewer.index - 1);
      });
    });
    stage.addEventListener("keydown", function (e) {
      var step = 60, keys = {
        "+": function () { viewer.zoomBy(1.25); }, "=": function () { viewer.zoomBy(1.25); },
        "-": function () { viewer.zoomBy(0.8); }, "0": function () { viewer.reset(); },
        "r": function () { viewer.rotate(); }, "R": function () { viewer.rotate(); },
        "ArrowLeft": function () { viewer.pan(-step, 0); }, "ArrowRight": function () { viewer.pan(step, 0); },
        "ArrowUp": function () { viewer.pan(0, -step); }, "ArrowDown": function () { viewer.pan(0, step); },
        "]": function () { viewer.show(viewer.index + 1); }, "[": function () { viewer.show(viewer.index - 1); },
        "PageDown": function () { viewer.show(viewer.index + 1); }, "PageUp": function () { viewer.show(viewer.index - 1); }
      };
      if (keys[e.key] && !e.altKey && !e.ctrlKey) { keys[e.key](); e.preventDefault(); }
    });
    stage.addEventListener("wheel", function (e) {
      e.preventDefault(); viewer.zoomBy(e.deltaY < 0 ? 1.15 : 1 / 1.15);
    }, { passive: false });
    var drag = null;
    stage.addEventListener("pointerdown", function (e) {
      if (e.target.classList && e.target.classList.contains("box")) return;
      drag = { x: e.clientX, y: e.clientY }; stage.classList.add("dragging");
      stage.setPointerCapture(e.pointerId);
    });
    stage.addEventListener("pointermove", function (e) {
      if (!drag) return;
      viewer.pan(drag.x - e.clientX, drag.y - e.clientY); drag = { x: e.clientX, y: e.clientY };
    });
    stage.addEventListener("pointerup", function () { drag = null; stage.classList.remove("dragging"); });
  }

  // ---- Fields: selection, accept, next field, add/delete dose, approve. ----
  function reviewPage(form, viewer) {
    var editable = form.dataset.editable === "1";
    var storeKey = "shotcheck-accepted:" + form.dataset.doc + ":" + form.dataset.version;
    var accepted = {};
    try { accepted = JSON.parse(sessionStorage.getItem(storeKey) || "{}"); } catch (e) { accepted = {}; }
    var progress = document.getElementById("progress");
    var approveArmed = false;

    function cells() { return Array.prototype.slice.call(form.querySelectorAll("input.cell")); }
    function isDone(input) {
      return !input.dataset.attention || input.classList.contains("accepted") ||
        input.classList.contains("edited");
    }
    function pending() { return cells().filter(function (c) { return !isDone(c); }); }
    function updateProgress() {
      if (!progress) return;
      var left = pending().length, total = +progress.dataset.total;
      progress.textContent = total === 0 ? "No field needs checking" :
        left === 0 ? "All " + total + " fields checked: Ctrl+Enter approves" :
        left + " of " + total + " field" + (total === 1 ? "" : "s") + " left to check";
      progress.classList.toggle("done", left === 0);
    }
    function select(input) {
      document.querySelectorAll(".box.selected, .cell.selected").forEach(function (el) {
        el.classList.remove("selected");
      });
      var rect = input.dataset.box && document.getElementById(input.dataset.box);
      if (rect) { rect.classList.add("selected"); if (viewer) viewer.focusBox(rect); }
    }
    function focusCell(input) { input.focus(); if (input.select) input.select(); }
    function nextPending(from, backwards) {
      var list = cells(), i = list.indexOf(from), n = list.length;
      for (var k = 1; k <= n; k++) {
        var c = list[((backwards ? i - k : i + k) % n + n) % n];
        if (!isDone(c)) return c;
      }
      return null;
    }
    // The box on the scan shows the cell's state too, so the page and the form agree.
    function markBox(input, state) {
      var rect = input.dataset.box && document.getElementById(input.dataset.box);
      if (rect) { rect.classList.remove("accepted", "edited"); if (state) rect.classList.add(state); }
    }
    function accept(input) {
      if (input.dataset.attention) {
        input.classList.add("accepted");
        markBox(input, "accepted");
        accepted[input.id] = true;
        try { sessionStorage.setItem(storeKey, JSON.stringify(accepted)); } catch (e) { /* private mode */ }
      }
      updateProgress();
      var next = nextPending(input, false);
      if (next) focusCell(next);
      else { var approve = document.getElementById("approve"); if (approve) approve.focus(); }
    }
    function addDose() {
      var tpl = document.getElementById("dose-template"), body = form.querySelector("#doses tbody");
      var n = 0;
      body.querySelectorAll("tr[data-row]").forEach(function (tr) { n = Math.max(n, +tr.dataset.row + 1); });
      body.insertAdjacentHTML("beforeend", tpl.innerHTML.replace(/__N__/g, String(n)));
      var row = body.lastElementChild;
      bindCell(row.querySelector("input.cell"));
      bindCell(row.querySelectorAll("input.cell")[1]);
      bindDelete(row.querySelector("[data-delete-row]"));
      row.querySelector("input.cell").focus();
    }
    function deleteRow(tr) {
      var next = tr.nextElementSibling || tr.previousElementSibling;
      tr.remove(); updateProgress();
      announce("Dose deleted; save or approve to keep the change.");
      var target = next ? next.querySelector("input.cell") : document.getElementById("add-dose");
      if (target) target.focus();
    }
    function bindDelete(btn) {
      btn.addEventListener("click", function () { deleteRow(btn.closest("tr")); });
    }
    function bindCell(input) {
      if (accepted[input.id]) { input.classList.add("accepted"); markBox(input, "accepted"); }
      input.addEventListener("focus", function () { select(input); });
      input.addEventListener("input", function () {
        var edited = input.value !== input.dataset.original;
        input.classList.toggle("edited", edited);
        if (!input.classList.contains("accepted")) markBox(input, edited ? "edited" : null);
        updateProgress();
      });
      input.addEventListener("keydown", function (e) {
        if (e.key === "Enter" && !e.ctrlKey && !e.altKey && !e.metaKey) {
          e.preventDefault(); accept(input);
        }
      });
    }
    function announce(text) {
      if (progress) { progress.textContent = text; setTimeout(updateProgress, 2500); }
    }
    function approve() {
      var left = pending();
      if (left.length && !approveArmed) {
        approveArmed = true;
        announce(left.length + " field" + (left.length === 1 ? "" : "s") +
          " not checked yet. Enter accepts a field; Ctrl+Enter again approves anyway.");
        focusCell(left[0]);
        return;
      }
      var button = document.getElementById("approve");
      if (button) form.requestSubmit(button);
    }
    // The approval's note records how many of the fields to check were checked (no values).
    function noteChecked() {
      var total = +(progress && progress.dataset.total || 0);
      var field = document.getElementById("checked");
      if (field) field.value = (total - pending().length) + " of " + total;
    }

    form.addEventListener("submit", noteChecked);
    cells().forEach(bindCell);
    form.querySelectorAll("[data-delete-row]").forEach(bindDelete);
    var add = document.getElementById("add-dose");
    if (add) add.addEventListener("click", addDose);
    var approveButton = document.getElementById("approve");
    if (approveButton) approveButton.addEventListener("click", function (e) {
      if (pending().length && !approveArmed) { e.preventDefault(); approve(); }
    });
    document.querySelectorAll(".box").forEach(function (rect) {
      rect.addEventListener("click", function () {
        var input = form.querySelector('input.cell[data-box="' + rect.id + '"]');
        if (input) focusCell(input);
      });
    });

    var reject = document.getElementById("reject-panel"), openReject = document.getElementById("open-reject");
    function showReject(show) {
      if (!reject) return;
      reject.hidden = !show;
      if (openReject) openReject.setAttribute("aria-expanded", String(show));
      if (show) document.getElementById("reason-choice").focus();
      else if (openReject) openReject.focus();
    }
    if (openReject) openReject.addEventListener("click", function () { showReject(reject.hidden); });
    var cancel = document.getElementById("cancel-reject");
    if (cancel) cancel.addEventListener("click", function () { showReject(false); });

    document.addEventListener("keydown", function (e) {
      // Letters by their physical key: on a Mac, Alt+N types "˜" and e.key would never be "n".
      var active = document.activeElement, key = e.code.indexOf("Key") === 0 ?
        e.code.slice(3).toLowerCase() : e.key.toLowerCase();
      if (e.key === "Escape" && reject && !reject.hidden) { showReject(false); return; }
      if (!editable) return;
      if (e.ctrlKey && e.key === "Enter") { e.preventDefault(); approve(); }
      else if (e.ctrlKey && key === "s") { e.preventDefault(); form.requestSubmit(document.getElementById("save")); }
      else if (e.altKey && key === "n") { e.preventDefault(); var n = nextPending(active, false); if (n) focusCell(n); }
      else if (e.altKey && key === "p") { e.preventDefault(); var p = nextPending(active, true); if (p) focusCell(p); }
      else if (e.altKey && key === "d") { e.preventDefault(); addDose(); }
      else if (e.altKey && e.key === "Backspace" && active && active.closest("#doses tbody tr")) {
        e.preventDefault(); deleteRow(active.closest("tr"));
      }
      else if (e.altKey && key === "r") { e.preventDefault(); showReject(true); }
      else if (e.altKey && key === "k") { e.preventDefault(); document.getElementById("skip-form").requestSubmit(); }
      else if (e.altKey && key === "i") { e.preventDefault(); document.getElementById("stage").focus(); }
    });

    updateProgress();
    var errors = document.getElementById("form-errors");
    if (errors) errors.focus();
    else if (editable) {
      var first = pending()[0] || cells()[0];
      if (first) focusCell(first);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var stage = document.getElementById("stage");
    var viewer = stage && stage.querySelector("svg.page") ? new Viewer(stage) : null;
    if (viewer) bindViewer(viewer);
    var form = document.getElementById("review-form");
    if (form) reviewPage(form, viewer);
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
    // Every handler is bound: tests (and impatient fingers) may act from here on.
    document.documentElement.setAttribute("data-ready", "1");
  });
})();
