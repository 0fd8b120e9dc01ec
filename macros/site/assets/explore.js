/* litreview explore.js: pan, zoom, collapsible groups, a focus mode and filters for diagrams
 * drawn at build time as inline SVG. No network, no inline handlers; without it (or in print)
 * a diagram shows whole, expanded, at its natural size, and every node is still a link.
 *
 * The contract: any <svg class="lr-explore"> written like this works; nothing here knows what
 * the diagram shows.
 * - The <svg> has its natural size: viewBox="0 0 W H" width="W" height="H" (1 unit = 1 px).
 *   Optional data-filters='[{"name": n, "label": legend, "values": [[value, label], ...]}]':
 *   one set of checkboxes per filter.
 * - One <g class="lr-viewport"> holds everything that pans and zooms.
 * - Nodes: elements with data-node="id" (usually <a href>), the full label in aria-label and in
 *   a <title> child; their box is their first <rect> or <circle>. Optional data-group="g" and
 *   data-filter-<name>="v1 v2": a node is hidden when none of its values of a filter is
 *   checked; a node without that attribute is never hidden by that filter.
 * - Edges: elements with data-from="id" data-to="id" and optional data-filter-<name>; an edge
 *   shows when both ends and its own values do. <path> edges are redrawn when groups move,
 *   with the build's rule (side by side: an S-curve; one above the other: an arc to the right).
 * - Collapsible groups: <g class="lr-stack" data-gap="px"> (one per column) holding, top to bottom,
 *   <g class="lr-group" data-group="g" data-y data-h data-head-h data-label> elements, each with
 *   a <rect class="lr-group-frame">, a <g class="lr-group-head"> (its first rect is its box) and
 *   its member nodes. When the diagram is taller than COLLAPSE_ABOVE px, groups start collapsed
 *   (an overview); a head toggles with click, Enter or Space. A collapsed group's member edges
 *   attach to its head.
 * Interaction: click, Enter or Space on a node selects it (focus mode: it, its neighbours and
 * their edges stand out, the rest is dimmed); selecting it again follows its link; Escape clears.
 * Drag pans; the wheel zooms with Ctrl held or while the diagram has focus; + and - zoom, the
 * arrow keys pan, 0 resets; the toolbar's buttons do the same. Printing shows it all unzoomed.
 */
(function () {
  "use strict";

  var COLLAPSE_ABOVE = 900;
  var MIN_SCALE = 0.3;
  var MAX_SCALE = 4;

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  function route(a, b) {
    var y1 = a.y + a.h / 2, y2 = b.y + b.h / 2, x1, x2, middle, bulge;
    if (a.x + a.w <= b.x || b.x + b.w <= a.x) {
      x1 = a.x + a.w <= b.x ? a.x + a.w : a.x;
      x2 = a.x + a.w <= b.x ? b.x : b.x + b.w;
      middle = (x1 + x2) / 2;
      return "M" + x1 + "," + y1 + " C" + middle + "," + y1 + " " + middle + "," + y2 + " " +
        x2 + "," + y2;
    }
    x1 = a.x + a.w;
    x2 = b.x + b.w;
    bulge = Math.max(x1, x2) + 24 + Math.min(Math.abs(y2 - y1) / 8, 60);
    return "M" + x1 + "," + y1 + " C" + bulge + "," + y1 + " " + bulge + "," + y2 + " " +
      x2 + "," + y2;
  }

  function button(text, label, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "lr-explore-button";
    b.textContent = text;
    if (label) { b.setAttribute("aria-label", label); }  // only where the text is a symbol
    b.title = label || text;
    b.addEventListener("click", action);
    return b;
  }

  function Explorer(svg) {
    var self = this;
    this.svg = svg;
    this.viewport = svg.querySelector(".lr-viewport") || svg;
    this.nodes = {};
    all(svg, "[data-node]").forEach(function (node) {
      self.nodes[node.getAttribute("data-node")] = node;
    });
    this.edges = all(svg, "[data-from][data-to]");
    this.neighbours = {};
    this.edges.forEach(function (edge) {
      var a = edge.getAttribute("data-from"), b = edge.getAttribute("data-to");
      (self.neighbours[a] = self.neighbours[a] || []).push(b);
      (self.neighbours[b] = self.neighbours[b] || []).push(a);
    });
    this.stacks = all(svg, ".lr-stack");
    this.groups = all(svg, ".lr-stack > .lr-group");
    this.width = parseFloat(svg.getAttribute("width")) || 600;
    this.height = parseFloat(svg.getAttribute("height")) || 400;
    this.view = { x: 0, y: 0, scale: 1 };
    this.selected = null;
    this.filters = [];
    try {
      this.filters = JSON.parse(svg.getAttribute("data-filters") || "[]");
    } catch (error) {
      this.filters = [];
    }
    this.checked = {};
    this.buildToolbar();
    this.groups.forEach(function (group) {
      var head = group.querySelector(".lr-group-head");
      if (!head) { return; }
      head.setAttribute("tabindex", "0");
      head.setAttribute("role", "button");
      head.addEventListener("click", function () { self.toggle(group); });
      head.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          self.toggle(group);
        }
      });
    });
    var collapse = this.groups.length > 1 && this.height > COLLAPSE_ABOVE;
    this.groups.forEach(function (group) { self.setCollapsed(group, collapse); });
    this.layout();
    this.listen();
    svg.classList.add("lr-explore-on");
  }

  Explorer.prototype.buildToolbar = function () {
    var self = this;
    var bar = document.createElement("div");
    bar.className = "lr-explore-bar";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Diagram controls");
    bar.appendChild(button("+", "Zoom in", function () { self.zoom(1.25); }));
    bar.appendChild(button("\u2212", "Zoom out", function () { self.zoom(0.8); }));
    bar.appendChild(button("Reset", "", function () { self.reset(); }));
    if (this.groups.length > 1) {
      bar.appendChild(button("Expand all", "", function () {
        self.groups.forEach(function (group) { self.setCollapsed(group, false); });
        self.layout();
      }));
      bar.appendChild(button("Collapse all", "", function () {
        self.groups.forEach(function (group) { self.setCollapsed(group, true); });
        self.layout();
      }));
    }
    if (this.filters.length) {
      var details = document.createElement("details");
      details.className = "lr-explore-filters";
      var summary = document.createElement("summary");
      summary.textContent = "Filters";
      details.appendChild(summary);
      this.filters.forEach(function (filter) {
        var fieldset = document.createElement("fieldset");
        var legend = document.createElement("legend");
        legend.textContent = filter.label;
        fieldset.appendChild(legend);
        self.checked[filter.name] = {};
        filter.values.forEach(function (pair) {
          var label = document.createElement("label");
          var box = document.createElement("input");
          box.type = "checkbox";
          box.checked = true;
          box.setAttribute("data-filter", filter.name);
          box.value = pair[0];
          self.checked[filter.name][pair[0]] = true;
          box.addEventListener("change", function () {
            self.checked[filter.name][box.value] = box.checked;
            self.applyFilters();
          });
          label.appendChild(box);
          label.appendChild(document.createTextNode(" " + pair[1]));
          fieldset.appendChild(label);
        });
        details.appendChild(fieldset);
      });
      bar.appendChild(details);
    }
    this.info = document.createElement("p");
    this.info.className = "lr-explore-info";
    this.info.setAttribute("aria-live", "polite");
    this.svg.parentNode.insertBefore(bar, this.svg);
    this.svg.parentNode.insertBefore(this.info, this.svg);
  };

  Explorer.prototype.passes = function (element) {
    var self = this;
    return this.filters.every(function (filter) {
      var values = element.getAttribute("data-filter-" + filter.name);
      if (values === null) { return true; }
      return values.split(" ").some(function (v) { return self.checked[filter.name][v]; });
    });
  };

  Explorer.prototype.applyFilters = function () {
    var self = this;
    Object.keys(this.nodes).forEach(function (id) {
      self.nodes[id].classList.toggle("lr-filtered", !self.passes(self.nodes[id]));
    });
    this.edges.forEach(function (edge) {
      var a = self.nodes[edge.getAttribute("data-from")];
      var b = self.nodes[edge.getAttribute("data-to")];
      var shown = self.passes(edge) && !(a && a.classList.contains("lr-filtered")) &&
        !(b && b.classList.contains("lr-filtered"));
      edge.classList.toggle("lr-filtered", !shown);
    });
    if (this.selected && this.nodes[this.selected].classList.contains("lr-filtered")) {
      this.clear();
    }
    this.layout();
  };

  Explorer.prototype.setCollapsed = function (group, collapsed) {
    group.classList.toggle("lr-collapsed", collapsed);
    var head = group.querySelector(".lr-group-head");
    if (head) { head.setAttribute("aria-expanded", collapsed ? "false" : "true"); }
  };

  Explorer.prototype.toggle = function (group) {
    this.setCollapsed(group, !group.classList.contains("lr-collapsed"));
    this.layout();
    if (this.selected) { this.select(this.selected); }
  };

  /* The element an edge attaches to: the node, or its collapsed group's head. */
  Explorer.prototype.visible = function (id) {
    var node = this.nodes[id];
    if (!node || node.classList.contains("lr-filtered")) { return null; }
    var group = node.closest(".lr-group");
    if (group && group.classList.contains("lr-collapsed")) {
      return group.querySelector(".lr-group-head") || null;
    }
    return node;
  };

  Explorer.prototype.box = function (element) {
    var shape = element.querySelector("rect, circle") || element;
    var inner = shape.getBBox();
    var matrix = shape.getCTM(), base = this.viewport.getCTM();
    if (!matrix || !base) { return null; }
    var m = base.inverse().multiply(matrix);
    return { x: m.a * inner.x + m.e, y: m.d * inner.y + m.f, w: m.a * inner.width,
      h: m.d * inner.height };
  };

  Explorer.prototype.layout = function () {
    var self = this;
    if (!this.stacks.length) {
      this.apply();
      return;
    }
    this.stacks.forEach(function (stack) {
      var gap = parseFloat(stack.getAttribute("data-gap")) || 0;
      var cursor = null;
      all(stack, ".lr-stack > .lr-group").forEach(function (group) {
        var top = parseFloat(group.getAttribute("data-y"));
        var full = parseFloat(group.getAttribute("data-h"));
        var head = parseFloat(group.getAttribute("data-head-h"));
        var collapsed = group.classList.contains("lr-collapsed");
        if (cursor === null) { cursor = top; }
        if (cursor === top) {
          group.removeAttribute("transform");
        } else {
          group.setAttribute("transform", "translate(0 " + (cursor - top) + ")");
        }
        var frame = group.querySelector(".lr-group-frame");
        if (frame) { frame.setAttribute("height", String(collapsed ? head : full)); }
        cursor += (collapsed ? head : full) + gap;
      });
    });
    this.edges.forEach(function (edge) {
      if (edge.tagName.toLowerCase() !== "path") { return; }
      var a = self.visible(edge.getAttribute("data-from"));
      var b = self.visible(edge.getAttribute("data-to"));
      edge.classList.toggle("lr-folded", !!a && a === b);  // both ends inside one closed group
      var from = a && a !== b && self.box(a), to = b && self.box(b);
      if (from && to) { edge.setAttribute("d", route(from, to)); }
    });
    var bounds = this.viewport.getBBox();
    this.height = Math.ceil(bounds.y + bounds.height + 12);
    this.apply();
  };

  Explorer.prototype.apply = function () {
    var v = this.view;
    this.svg.setAttribute("width", String(this.width));
    this.svg.setAttribute("height", String(this.height));
    this.svg.setAttribute("viewBox", [v.x, v.y, this.width / v.scale, this.height / v.scale]
      .map(function (n) { return Math.round(n * 100) / 100; }).join(" "));
  };

  Explorer.prototype.zoom = function (factor, cx, cy) {
    var v = this.view;
    var scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, v.scale * factor));
    if (cx === undefined) { cx = v.x + this.width / v.scale / 2; }
    if (cy === undefined) { cy = v.y + this.height / v.scale / 2; }
    v.x = cx - (cx - v.x) * v.scale / scale;
    v.y = cy - (cy - v.y) * v.scale / scale;
    v.scale = scale;
    this.apply();
  };

  Explorer.prototype.pan = function (dx, dy) {
    this.view.x += dx / this.view.scale;
    this.view.y += dy / this.view.scale;
    this.apply();
  };

  Explorer.prototype.reset = function () {
    this.view = { x: 0, y: 0, scale: 1 };
    this.apply();
  };

  Explorer.prototype.select = function (id) {
    var self = this;
    var near = {};
    near[id] = true;
    (this.neighbours[id] || []).forEach(function (other) { near[other] = true; });
    this.selected = id;
    this.svg.classList.add("lr-focusing");
    Object.keys(this.nodes).forEach(function (other) {
      var node = self.nodes[other];
      node.classList.toggle("lr-near", !!near[other]);
      node.classList.toggle("lr-dim", !near[other]);
      node.classList.toggle("lr-selected", other === id);
    });
    this.groups.forEach(function (group) {
      var inside = all(group, "[data-node]").some(function (n) {
        return near[n.getAttribute("data-node")];
      });
      group.classList.toggle("lr-dim", !inside);
    });
    this.edges.forEach(function (edge) {
      var hot = edge.getAttribute("data-from") === id || edge.getAttribute("data-to") === id;
      edge.classList.toggle("lr-near", hot);
      edge.classList.toggle("lr-dim", !hot);
    });
    var count = Object.keys(near).length - 1;
    this.info.textContent = (this.nodes[id].getAttribute("aria-label") || "") + " \u2014 " +
      count + (count === 1 ? " linked item" : " linked items") +
      " highlighted; select it again to open it, Escape to clear.";
  };

  Explorer.prototype.clear = function () {
    this.selected = null;
    this.svg.classList.remove("lr-focusing");
    all(this.svg, ".lr-dim, .lr-near, .lr-selected").forEach(function (element) {
      element.classList.remove("lr-dim", "lr-near", "lr-selected");
    });
    this.info.textContent = "";
  };

  Explorer.prototype.listen = function () {
    var self = this, svg = this.svg, drag = null, dragged = false;
    svg.addEventListener("click", function (event) {
      if (dragged) {
        event.preventDefault();
        dragged = false;
        return;
      }
      var node = event.target.closest("[data-node]");
      if (!node) { return; }
      var id = node.getAttribute("data-node");
      if (self.selected !== id) {
        event.preventDefault();
        self.select(id);
      }
    });
    svg.addEventListener("keydown", function (event) {
      var node = event.target.closest && event.target.closest("[data-node]");
      var key = event.key;
      if (node && (key === " " || (key === "Enter" &&
          self.selected !== node.getAttribute("data-node")))) {
        event.preventDefault();
        self.select(node.getAttribute("data-node"));
      } else if (key === "Escape") {
        self.clear();
      } else if (key === "+" || key === "=") {
        event.preventDefault();
        self.zoom(1.25);
      } else if (key === "-" || key === "_") {
        event.preventDefault();
        self.zoom(0.8);
      } else if (key === "0") {
        self.reset();
      } else if (key.indexOf("Arrow") === 0) {
        event.preventDefault();
        self.pan(key === "ArrowLeft" ? -60 : key === "ArrowRight" ? 60 : 0,
          key === "ArrowUp" ? -60 : key === "ArrowDown" ? 60 : 0);
      }
    });
    svg.addEventListener("focusin", function (event) {
      var node = event.target.closest && event.target.closest("[data-node]");
      if (node && !self.selected) { self.info.textContent = node.getAttribute("aria-label") || ""; }
    });
    svg.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) { return; }
      drag = { x: event.clientX, y: event.clientY, moved: false, id: event.pointerId };
      dragged = false;
    });
    svg.addEventListener("pointermove", function (event) {
      if (!drag) { return; }
      var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) { return; }
      if (!drag.moved) {
        drag.moved = true;
        svg.setPointerCapture(drag.id);
        svg.classList.add("lr-dragging");
      }
      self.pan(-dx, -dy);
      drag.x = event.clientX;
      drag.y = event.clientY;
    });
    function end() {
      if (drag && drag.moved) { dragged = true; }
      drag = null;
      svg.classList.remove("lr-dragging");
    }
    svg.addEventListener("pointerup", end);
    svg.addEventListener("pointercancel", end);
    svg.addEventListener("wheel", function (event) {
      if (!event.ctrlKey && !svg.contains(document.activeElement)) { return; }
      event.preventDefault();
      var rect = svg.getBoundingClientRect(), v = self.view;
      var cx = v.x + (event.clientX - rect.left) / v.scale;
      var cy = v.y + (event.clientY - rect.top) / v.scale;
      self.zoom(event.deltaY < 0 ? 1.15 : 1 / 1.15, cx, cy);
    }, { passive: false });
  };

  var explorers = [];
  var saved = [];

  window.addEventListener("beforeprint", function () {
    saved = explorers.map(function (explorer) {
      var state = { view: explorer.view, collapsed: explorer.groups.map(function (g) {
        return g.classList.contains("lr-collapsed");
      }) };
      explorer.groups.forEach(function (g) { explorer.setCollapsed(g, false); });
      explorer.view = { x: 0, y: 0, scale: 1 };
      explorer.layout();
      return state;
    });
  });
  window.addEventListener("afterprint", function () {
    saved.forEach(function (state, i) {
      var explorer = explorers[i];
      explorer.groups.forEach(function (g, j) { explorer.setCollapsed(g, state.collapsed[j]); });
      explorer.view = state.view;
      explorer.layout();
    });
    saved = [];
  });

  function init() {
    all(document, "svg.lr-explore").forEach(function (svg) {
      explorers.push(new Explorer(svg));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
