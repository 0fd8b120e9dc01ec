/* litreview: bibliography filters and "copy citation"; no network, no inline handlers. */
(function () {
  "use strict";

  function setUpFilters(form) {
    var entries = Array.prototype.slice.call(
      document.querySelectorAll(form.getAttribute("data-items") || ".lr-bib-entry"));
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-facet]"));
    var count = form.querySelector(".lr-filter-count");
    selects.forEach(function (select) {
      var facet = select.getAttribute("data-facet");
      var values = {};
      entries.forEach(function (entry) {
        (entry.getAttribute("data-" + facet) || "").split(" ").forEach(function (value) {
          if (value) { values[value] = true; }
        });
      });
      Object.keys(values).sort().forEach(function (value) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = value;
        select.appendChild(option);
      });
      select.addEventListener("change", apply);
    });
    function apply() {
      var shown = 0;
      entries.forEach(function (entry) {
        var visible = selects.every(function (select) {
          var have = (entry.getAttribute("data-" + select.getAttribute("data-facet")) || "").split(" ");
          return !select.value || have.indexOf(select.value) >= 0;
        });
        entry.hidden = !visible;
        if (visible) { shown += 1; }
      });
      if (count) { count.textContent = shown + " of " + entries.length + " shown"; }
    }
    apply();
  }

  function setUpCopyButtons() {
    document.querySelectorAll("button.lr-copy").forEach(function (button) {
      button.addEventListener("click", function () {
        var text = button.getAttribute("data-copy") || "";
        var done = function () { button.textContent = "Copied"; };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
        } else {
          fallbackCopy(text);
          done();
        }
      });
    });
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    document.body.removeChild(area);
  }

  // Material's search dialog has no accessible name; screen readers announce it as "Search".
  function nameSearchDialog() {
    document.querySelectorAll(".md-search[role=dialog]").forEach(function (dialog) {
      if (!dialog.hasAttribute("aria-label")) { dialog.setAttribute("aria-label", "Search"); }
    });
  }

  function init() {
    nameSearchDialog();
    document.querySelectorAll("form.lr-filters").forEach(setUpFilters);
    setUpCopyButtons();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
