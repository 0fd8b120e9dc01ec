/* litreview: the filter over a large bibliography. Its data is a script file beside the page
   (fetch() fails from file://), loaded only on the page that has the form; no inline code. */
(function () {
  "use strict";

  var LIMIT = 200; // results listed at once; the count says how many matched

  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function setUp(form) {
    if (form.getAttribute("data-ready")) { return; }
    form.setAttribute("data-ready", "1");
    var src = form.getAttribute("data-index");
    if (window.litreviewBibIndex) { start(form, window.litreviewBibIndex); return; }
    var script = document.createElement("script");
    script.src = src;
    script.addEventListener("load", function () {
      if (window.litreviewBibIndex) { start(form, window.litreviewBibIndex); }
    });
    document.body.appendChild(script);
  }

  function start(form, data) {
    var at = {};
    data.fields.forEach(function (name, i) { at[name] = i; });
    var entries = data.entries;
    var haystack = entries.map(function (e) {
      return fold(e[at.text] + " " + e[at.keywords]);
    });
    var authorsOf = entries.map(function (e) { return fold(e[at.authors]); });
    var results = form.nextElementSibling;
    var count = form.querySelector(".lr-filter-count");
    var template = form.getAttribute("data-href");
    var controls = Array.prototype.slice.call(form.querySelectorAll("[data-field]"));

    function values(e, field) {
      var value = e[at[field]];
      return field === "keywords" ? value.split("; ").filter(Boolean) : [value];
    }

    controls.forEach(function (control) {
      var field = control.getAttribute("data-field");
      if (control.tagName === "SELECT") {
        var seen = {};
        entries.forEach(function (e) {
          values(e, field).forEach(function (v) { if (v) { seen[v] = (seen[v] || 0) + 1; } });
        });
        var names = Object.keys(seen).sort();
        if (field === "year") { names.reverse(); }
        names.forEach(function (v) {
          var option = document.createElement("option");
          option.value = v;
          option.textContent = v + " (" + seen[v] + ")";
          control.appendChild(option);
        });
        control.addEventListener("change", apply);
      } else {
        control.addEventListener("input", apply);
      }
    });
    var list = document.getElementById("lr-bib-authors");
    if (list) {
      var people = {};
      entries.forEach(function (e) {
        e[at.authors].split("; ").forEach(function (a) { if (a) { people[a] = true; } });
      });
      Object.keys(people).sort().slice(0, 5000).forEach(function (a) {
        var option = document.createElement("option");
        option.value = a;
        list.appendChild(option);
      });
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); });

    function apply() {
      var text = "", author = "", exact = [];
      controls.forEach(function (control) {
        var field = control.getAttribute("data-field");
        var value = control.value.trim();
        if (!value) { return; }
        if (field === "text") { text = fold(value); }
        else if (field === "authors") { author = fold(value); }
        else { exact.push([field, value]); }
      });
      var words = text.split(/\s+/).filter(Boolean);
      var shown = 0, matched = 0;
      var fragment = document.createDocumentFragment();
      for (var i = 0; i < entries.length; i += 1) {
        var e = entries[i];
        var ok = words.every(function (w) { return haystack[i].indexOf(w) >= 0; }) &&
          (!author || authorsOf[i].indexOf(author) >= 0) &&
          exact.every(function (pair) { return values(e, pair[0]).indexOf(pair[1]) >= 0; });
        if (!ok) { continue; }
        matched += 1;
        if (shown < LIMIT) {
          shown += 1;
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = template.replace("LRSLUG", encodeURIComponent(e[at.slug]));
          link.textContent = e[at.text];
          item.appendChild(link);
          fragment.appendChild(item);
        }
      }
      results.textContent = "";
      results.appendChild(fragment);
      if (count) {
        count.textContent = matched + " of " + entries.length + " match" +
          (matched > shown ? ", first " + shown + " listed" : "");
      }
    }
    form.hidden = false;
    apply();
  }

  function init() {
    document.querySelectorAll("form.lr-bibindex").forEach(setUp);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
