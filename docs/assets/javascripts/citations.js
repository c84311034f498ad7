/*
 * Cite this paper: turns the citation styles shown one after another into tabs (WAI-ARIA tabs
 * pattern: arrow keys, Home and End move between styles), and makes each "Copy citation" button
 * copy the plain-text citation. Without this script every style is simply shown, and the copy
 * buttons stay hidden. The chosen style is remembered on this device for the next paper.
 */
(function () {
  "use strict";

  var STORAGE_KEY = "peerkb.citation-style";

  function remembered() {
    try {
      return window.localStorage.getItem(STORAGE_KEY);
    } catch (error) {
      return null; // storage disabled: the first style is the default
    }
  }

  function remember(style) {
    try {
      window.localStorage.setItem(STORAGE_KEY, style);
    } catch (error) {
      /* storage disabled or full: nothing to keep */
    }
  }

  // navigator.clipboard needs a secure context (https or localhost); elsewhere, or if the
  // browser refuses, fall back to selecting a hidden text area and the copy command.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return legacyCopy(text);
      });
    }
    return legacyCopy(text);
  }

  function legacyCopy(text) {
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (error) {
        copied = false;
      }
      document.body.removeChild(area);
      if (copied) {
        resolve();
      } else {
        reject(new Error("copy refused"));
      }
    });
  }

  function selectContents(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function setUp(box) {
    if (box.getAttribute("data-ready")) {
      return;
    }
    box.setAttribute("data-ready", "true");
    var panels = Array.prototype.slice.call(box.querySelectorAll(".peerkb-cite__panel"));
    var status = box.querySelector(".peerkb-cite__status");
    var list = document.createElement("div");
    list.className = "peerkb-cite__tabs";
    list.setAttribute("role", "tablist");
    list.setAttribute("aria-label", "Citation style");

    var tabs = panels.map(function (panel, index) {
      var tab = document.createElement("button");
      tab.type = "button";
      tab.className = "peerkb-cite__tab";
      tab.id = panel.id + "-tab";
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panel.id);
      // "Harvard (Cite Them Right)": the part in brackets may be hidden visually on a phone, but
      // stays in the tab's accessible name.
      var name = /^(.*?)(\s*\(.*\))?$/.exec(panel.getAttribute("data-label"));
      tab.textContent = name[1];
      if (name[2]) {
        var note = document.createElement("span");
        note.className = "peerkb-cite__tab-note";
        note.textContent = name[2];
        tab.appendChild(note);
      }
      tab.addEventListener("click", function () {
        select(index, true);
      });
      tab.addEventListener("keydown", function (event) {
        var next = {
          ArrowRight: index + 1,
          ArrowDown: index + 1,
          ArrowLeft: index - 1,
          ArrowUp: index - 1,
          Home: 0,
          End: panels.length - 1
        }[event.key];
        if (next === undefined) {
          return;
        }
        event.preventDefault();
        select((next + panels.length) % panels.length, true);
        tabs[(next + panels.length) % panels.length].focus();
      });
      list.appendChild(tab);

      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      // The tab now names the style; the panel's own label would repeat it.
      var label = panel.querySelector(".peerkb-cite__label");
      if (label) {
        label.hidden = true;
      }
      var button = panel.querySelector(".peerkb-cite__copy");
      if (button) {
        button.hidden = false;
        button.addEventListener("click", function () {
          var name = panel.getAttribute("data-label");
          // The citation's text as shown, which is its plain-text form (no copy in the page).
          copyText(panel.querySelector(".peerkb-cite__text").textContent).then(
            function () {
              button.textContent = "Copied";
              status.textContent = "Copied the " + name + " citation to the clipboard.";
              window.setTimeout(function () {
                button.textContent = "Copy citation";
              }, 2000);
            },
            function () {
              selectContents(panel.querySelector(".peerkb-cite__text"));
              status.textContent = "Could not copy: the citation is selected, press Ctrl+C (or Cmd+C) to copy it.";
            }
          );
        });
      }
      return tab;
    });

    function select(index, byUser) {
      tabs.forEach(function (tab, i) {
        var chosen = i === index;
        tab.setAttribute("aria-selected", chosen ? "true" : "false");
        tab.tabIndex = chosen ? 0 : -1;
        panels[i].hidden = !chosen;
      });
      if (byUser) {
        remember(panels[index].getAttribute("data-style"));
        status.textContent = "";
      }
    }

    box.insertBefore(list, box.firstChild);
    var styles = panels.map(function (panel) {
      return panel.getAttribute("data-style");
    });
    select(Math.max(0, styles.indexOf(remembered())), false);
  }

  function setUpAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-peerkb-cite]"), setUp);
  }

  // Material's instant navigation swaps pages without reloading: document$ announces each one.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUpAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
