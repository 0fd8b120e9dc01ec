/* litreview: sort, filter and export a table of works (the extraction table).
   Loaded from a file (the Content-Security-Policy allows no inline script); without it the
   table is a plain table. Exports are made in the browser from data the build put into the
   rows, so they work from file:// with no request. */
(function () {
  "use strict";

  function cells(row) {
    return Array.prototype.slice.call(row.children);
  }

  function valuesOf(cell) {
    return (cell.getAttribute("data-value") || "").split("; ").filter(function (v) { return v; });
  }

  function csvField(text) {
    // A cell a spreadsheet would run as a formula is written as text.
    if (/^[=+\-@\t\r]/.test(text) && isNaN(Number(text))) { text = "'" + text; }
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function download(name, type, text) {
    var url = URL.createObjectURL(new Blob([text], { type: type + ";charset=utf-8" }));
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function setUp(box) {
    var table = box.querySelector("table.lr-table");
    var form = box.querySelector("form.lr-table-controls");
    if (!table || !form) { return; }
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var heads = cells(table.tHead.rows[0]);
    var text = form.querySelector("input[data-filter=text]");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-column]"));
    var count = form.querySelector(".lr-table-count");
    var sorted = { column: -1, direction: 1 };

    selects.forEach(function (select) {
      var column = Number(select.getAttribute("data-column"));
      var seen = {};
      rows.forEach(function (row) {
        valuesOf(row.cells[column]).forEach(function (v) { seen[v] = true; });
      });
      Object.keys(seen).sort().forEach(function (value) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = value;
        select.appendChild(option);
      });
      select.addEventListener("change", apply);
    });
    if (text) { text.addEventListener("input", apply); }

    heads.forEach(function (head, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "lr-sort";
      while (head.firstChild) { button.appendChild(head.firstChild); }
      head.appendChild(button);
      head.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () { sortBy(column); });
    });

    function key(row, column, numeric) {
      var value = row.cells[column].getAttribute("data-sort") || "";
      if (numeric) { return value === "" ? null : Number(value); }
      return value.toLowerCase();
    }

    function sortBy(column) {
      sorted.direction = sorted.column === column ? -sorted.direction : 1;
      sorted.column = column;
      var type = heads[column].getAttribute("data-type");
      var numeric = type === "number";
      var ordered = rows.slice().sort(function (a, b) {
        var x = key(a, column, numeric);
        var y = key(b, column, numeric);
        if (x === y) { return 0; }
        if (x === null || x === "") { return 1; }  // empty cells last, either way
        if (y === null || y === "") { return -1; }
        return (x < y ? -1 : 1) * sorted.direction;
      });
      ordered.forEach(function (row) { body.appendChild(row); });
      heads.forEach(function (head, i) {
        head.setAttribute("aria-sort", i !== column ? "none"
          : sorted.direction > 0 ? "ascending" : "descending");
      });
    }

    function apply() {
      var needle = text ? text.value.trim().toLowerCase() : "";
      var shown = 0;
      rows.forEach(function (row) {
        var visible = (!needle || row.textContent.toLowerCase().indexOf(needle) >= 0) &&
          selects.every(function (select) {
            var column = Number(select.getAttribute("data-column"));
            return !select.value || valuesOf(row.cells[column]).indexOf(select.value) >= 0;
          });
        row.hidden = !visible;
        if (visible) { shown += 1; }
      });
      if (count) { count.textContent = shown + " of " + rows.length + " works shown"; }
    }

    function visibleRows() {
      return Array.prototype.slice.call(body.rows).filter(function (row) { return !row.hidden; });
    }

    function csv() {
      var header = ["key", "work", "title"].concat(heads.slice(1).map(function (head) {
        return head.textContent.trim();
      }));
      var lines = [header.map(csvField).join(",")];
      visibleRows().forEach(function (row) {
        var first = row.cells[0];
        var title = first.querySelector(".lr-work-title");
        var line = [row.getAttribute("data-key"), first.getAttribute("data-value"),
          title ? title.textContent : ""];
        cells(row).slice(1).forEach(function (cell) { line.push(cell.getAttribute("data-value") || ""); });
        lines.push(line.map(csvField).join(","));
      });
      return lines.join("\r\n") + "\r\n";
    }

    function bibtex() {
      return visibleRows().map(function (row) {
        return (row.getAttribute("data-bibtex") || "").trim();
      }).filter(function (entry) { return entry; }).join("\n\n") + "\n";
    }

    function cslJson() {
      var items = [];
      visibleRows().forEach(function (row) {
        items = items.concat(JSON.parse(row.getAttribute("data-csl") || "[]"));
      });
      return JSON.stringify(items, null, 2) + "\n";
    }

    form.querySelectorAll("button[data-export]").forEach(function (button) {
      button.addEventListener("click", function () {
        var what = button.getAttribute("data-export");
        if (what === "csv") { download("extraction.csv", "text/csv", csv()); }
        if (what === "bibtex") { download("works.bib", "application/x-bibtex", bibtex()); }
        if (what === "csl") { download("works.json", "application/vnd.citationstyles.csl+json", cslJson()); }
      });
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }

  function init() {
    document.querySelectorAll(".lr-extraction").forEach(function (box) {
      if (box.getAttribute("data-ready")) { return; }
      box.setAttribute("data-ready", "1");
      setUp(box);
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
