/*
 * Filters for the All papers page: role, theme, evidence type, setting (any of the ticked
 * choices within a group, every group combined with AND) and a year range.
 *
 * Progressive: the page is a complete server-rendered list; this script only shows the hidden
 * filter panel and toggles `hidden` on list items, so 5,000 papers filter without rebuilding the
 * DOM. The filter state lives in the URL query (?role=a&theme=b&from=2010), kept current with
 * history.replaceState, so a filtered list can be bookmarked, shared and reloaded.
 * No dependencies, no network, no storage.
 */
(function () {
  "use strict";

  var YEARS = ["from", "to"];

  function init() {
    var panel = document.querySelector(".peerkb-filters");
    var list = document.getElementById("peerkb-papers");
    if (!panel || !list || panel.getAttribute("data-ready")) return;
    panel.setAttribute("data-ready", "1");

    var items = Array.prototype.slice.call(list.children);
    var groups = Array.prototype.map.call(panel.querySelectorAll("[data-filter]"), function (el) {
      return { name: el.getAttribute("data-filter"), el: el, boxes: el.querySelectorAll("input[type=checkbox]") };
    });
    var years = YEARS.map(function (name) { return panel.querySelector("input[name=" + name + "]"); });
    var status = panel.querySelector("[data-count-total]");
    var chips = panel.querySelector("[data-chips]");
    var clear = panel.querySelector("[data-clear]");
    var none = document.querySelector("[data-none]");

    // Each item's ids per group, read once: as a list (for counting) and as a lookup table (for
    // matching). Prototype-free tables, so an id such as "constructor" matches only itself.
    var rows = items.map(function (li) {
      var row = { el: li, year: parseInt(li.getAttribute("data-year"), 10), ids: {}, sets: {} };
      groups.forEach(function (g) {
        var value = li.getAttribute("data-" + g.name) || "";
        var set = Object.create(null);
        row.ids[g.name] = value ? value.split(" ") : [];
        row.ids[g.name].forEach(function (id) { set[id] = true; });
        row.sets[g.name] = set;
      });
      return row;
    });

    function readState() {
      var state = { chosen: {}, from: NaN, to: NaN };
      groups.forEach(function (g) {
        state.chosen[g.name] = [];
        Array.prototype.forEach.call(g.boxes, function (box) {
          if (box.checked) state.chosen[g.name].push(box.value);
        });
      });
      state.from = parseInt(years[0].value, 10);
      state.to = parseInt(years[1].value, 10);
      return state;
    }

    function matchesGroup(set, chosen) {
      if (!chosen.length) return true;
      for (var i = 0; i < chosen.length; i++) {
        if (set[chosen[i]]) return true;
      }
      return false;
    }

    function inYears(row, state) {
      if (isNaN(state.from) && isNaN(state.to)) return true;
      if (isNaN(row.year)) return false;
      return (isNaN(state.from) || row.year >= state.from) && (isNaN(state.to) || row.year <= state.to);
    }

    function apply(state) {
      var shown = 0;
      var counts = {};
      groups.forEach(function (g) { counts[g.name] = Object.create(null); });
      rows.forEach(function (row) {
        var ok = {};
        var failed = 0;
        var yearOk = inYears(row, state);
        groups.forEach(function (g) {
          ok[g.name] = matchesGroup(row.sets[g.name], state.chosen[g.name]);
          if (!ok[g.name]) failed++;
        });
        var visible = yearOk && failed === 0;
        if (row.el.hidden === visible) row.el.hidden = !visible;
        if (visible) shown++;
        if (!yearOk || failed > 1) return;
        // Facet counts: how many papers a choice would show, given every other group's filter.
        groups.forEach(function (g) {
          if (failed === 1 && ok[g.name]) return;
          row.ids[g.name].forEach(function (id) { counts[g.name][id] = (counts[g.name][id] || 0) + 1; });
        });
      });
      groups.forEach(function (g) {
        Array.prototype.forEach.call(g.boxes, function (box) {
          var text = "(" + (counts[g.name][box.value] || 0) + ")";
          var span = box.parentNode.querySelector("[data-count]");
          if (span.textContent !== text) span.textContent = text;
        });
        var n = state.chosen[g.name].length;
        g.el.querySelector("[data-chosen]").textContent = n ? " (" + n + " chosen)" : "";
      });
      var total = rows.length;
      status.textContent = shown === total
        ? total + (total === 1 ? " paper" : " papers")
        : shown + " of " + total + (total === 1 ? " paper" : " papers");
      if (none) none.hidden = shown !== 0;
      renderChips(state);
    }

    function renderChips(state) {
      var active = [];
      groups.forEach(function (g) {
        var label = g.el.querySelector("summary").firstChild.textContent;
        Array.prototype.forEach.call(g.boxes, function (box) {
          if (box.checked) {
            var text = box.parentNode.querySelector("[data-label]").textContent;
            active.push({ text: label + ": " + text, off: function () { box.checked = false; } });
          }
        });
      });
      if (!isNaN(state.from)) active.push({ text: "From " + state.from, off: function () { years[0].value = ""; } });
      if (!isNaN(state.to)) active.push({ text: "To " + state.to, off: function () { years[1].value = ""; } });
      while (chips.firstChild) chips.removeChild(chips.firstChild);
      active.forEach(function (chip) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "peerkb-chip";
        button.setAttribute("aria-label", "Remove filter " + chip.text);
        button.appendChild(document.createTextNode(chip.text + " "));
        var x = document.createElement("span");
        x.setAttribute("aria-hidden", "true");
        x.textContent = "\u00d7";
        button.appendChild(x);
        button.addEventListener("click", function () {
          chip.off();
          update();
          // Keep keyboard focus in the panel once the chip is gone.
          var next = chips.querySelector("button") || status;
          if (next === status) status.setAttribute("tabindex", "-1");
          next.focus();
        });
        li.appendChild(button);
        chips.appendChild(li);
      });
      chips.hidden = active.length === 0;
      clear.hidden = active.length === 0;
    }

    function writeUrl(state) {
      var params = new URLSearchParams(window.location.search);
      groups.forEach(function (g) { params.delete(g.name); });
      YEARS.forEach(function (name) { params.delete(name); });
      groups.forEach(function (g) {
        state.chosen[g.name].forEach(function (id) { params.append(g.name, id); });
      });
      if (!isNaN(state.from)) params.set("from", String(state.from));
      if (!isNaN(state.to)) params.set("to", String(state.to));
      var query = params.toString();
      var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      if (url !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.replaceState(window.history.state, "", url);
      }
    }

    function readUrl() {
      var params = new URLSearchParams(window.location.search);
      groups.forEach(function (g) {
        var wanted = params.getAll(g.name);
        Array.prototype.forEach.call(g.boxes, function (box) {
          box.checked = wanted.indexOf(box.value) !== -1;
        });
      });
      YEARS.forEach(function (name, i) {
        var value = parseInt(params.get(name) || "", 10);
        years[i].value = isNaN(value) ? "" : String(value);
      });
    }

    function update() {
      var state = readState();
      apply(state);
      writeUrl(state);
    }

    panel.addEventListener("change", update);
    years.forEach(function (input) { input.addEventListener("input", update); });
    clear.addEventListener("click", function () {
      groups.forEach(function (g) { Array.prototype.forEach.call(g.boxes, function (b) { b.checked = false; }); });
      years.forEach(function (input) { input.value = ""; });
      update();
      status.setAttribute("tabindex", "-1");
      status.focus();
    });

    readUrl();
    panel.hidden = false;
    apply(readState());
  }

  // Material's instant navigation swaps pages without a load event; document$ emits on each page.
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
