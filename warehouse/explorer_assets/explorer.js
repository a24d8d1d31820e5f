// report-metrics explorer: tooltip, detail panel and filters over the <mark> elements. Plain DOM, no library.
(function () {
  "use strict";
  var NONE = "__none__";
  // The attributes a metric carries, in the order the tooltip and the panel show them.
  var FIELDS = [
    ["value", "value"],
    ["unit", "unit"],
    ["kind", "kind"],
    ["approx", "approx"],
    ["subject", "subject"],
    ["indicatorName", "indicator"],
    ["org", "organisation"],
    ["region", "region"],
    ["period", "period"],
  ];
  // Where the metric was read, shown only when known: a table cell's row and column headings, a PDF page.
  var LAYOUT = [
    ["rowLabel", "row"],
    ["columnHeading", "column"],
    ["headingPeriod", "column period"],
    ["block", "read from"],
    ["page", "page"],
  ];
  var marks = Array.prototype.slice.call(document.querySelectorAll("mark[data-metric-id]"));
  var tooltip = document.getElementById("tooltip");
  var panel = document.getElementById("detail");

  function fill(dl, mark, withSpan) {
    while (dl.firstChild) dl.removeChild(dl.firstChild);
    var rows = [["mention", mark.textContent]];
    FIELDS.forEach(function (f) { rows.push([f[1], mark.dataset[f[0]] || "–"]); });
    LAYOUT.forEach(function (f) { if (mark.dataset[f[0]]) rows.push([f[1], mark.dataset[f[0]]]); });
    if (withSpan) {
      rows.push(["span", mark.dataset.start + "–" + mark.dataset.end]);
      rows.push(["document", mark.dataset.doc]);
      rows.push(["metric id", mark.dataset.metricId]);
    }
    rows.forEach(function (r) {
      var dt = document.createElement("dt");
      var dd = document.createElement("dd");
      dt.textContent = r[0];
      dd.textContent = r[1];
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
  }

  function showTooltip(mark, x, y) {
    var dl = document.createElement("dl");
    fill(dl, mark, false);
    tooltip.replaceChildren(dl);
    tooltip.hidden = false;
    var left = Math.min(x + 14, window.innerWidth - tooltip.offsetWidth - 8);
    var top = y + 18 + tooltip.offsetHeight > window.innerHeight ? y - tooltip.offsetHeight - 10 : y + 18;
    tooltip.style.left = Math.max(4, left) + "px";
    tooltip.style.top = Math.max(4, top) + "px";
  }

  function select(mark) {
    marks.forEach(function (m) { m.classList.remove("selected"); });
    mark.classList.add("selected");
    panel.querySelector(".empty").hidden = true;
    fill(panel.querySelector("dl"), mark, true);
    panel.dataset.selected = mark.dataset.metricId;
  }

  marks.forEach(function (mark) {
    mark.addEventListener("mouseenter", function (e) { showTooltip(mark, e.clientX, e.clientY); });
    mark.addEventListener("mousemove", function (e) { showTooltip(mark, e.clientX, e.clientY); });
    mark.addEventListener("mouseleave", function () { tooltip.hidden = true; });
    mark.addEventListener("focus", function () {
      var r = mark.getBoundingClientRect();
      showTooltip(mark, r.left, r.bottom);
    });
    mark.addEventListener("blur", function () { tooltip.hidden = true; });
    mark.addEventListener("click", function () { select(mark); });
    mark.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); select(mark); }
    });
  });

  var byIndicator = document.getElementById("filter-indicator");
  var byRegion = document.getElementById("filter-region");
  var counter = document.getElementById("filter-count");

  function matches(wanted, actual) {
    return wanted === "" || (wanted === NONE ? actual === "" : actual === wanted);
  }

  function applyFilters() {
    var indicator = byIndicator ? byIndicator.value : "";
    var region = byRegion ? byRegion.value : "";
    var shown = 0;
    marks.forEach(function (m) {
      var ok = matches(indicator, m.dataset.indicator || "") && matches(region, m.dataset.region || "");
      m.classList.toggle("dim", !ok);
      if (ok) shown += 1;
    });
    if (counter) {
      counter.textContent = indicator || region
        ? shown + " of " + marks.length + " highlighted metrics match"
        : marks.length + " highlighted metrics";
    }
  }

  if (byIndicator) byIndicator.addEventListener("change", applyFilters);
  if (byRegion) byRegion.addEventListener("change", applyFilters);

  // Links can carry the filters (?indicator=…&region=…) and a metric to select (#m-<metric id>).
  var params = new URLSearchParams(window.location.search);
  [[byIndicator, "indicator"], [byRegion, "region"]].forEach(function (pair) {
    var wanted = params.get(pair[1]);
    if (pair[0] && wanted !== null) {
      var known = Array.prototype.some.call(pair[0].options, function (o) { return o.value === wanted; });
      if (known) pair[0].value = wanted;
    }
  });
  applyFilters();

  function selectFromHash() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var mark = id.indexOf("m-") === 0 ? document.getElementById(id) : null;
    if (mark && mark.tagName === "MARK") select(mark);
  }
  window.addEventListener("hashchange", selectFromHash);
  selectFromHash();

  // Each document opens at its first highlighted figure (report texts often start with captions and bylines).
  Array.prototype.forEach.call(document.querySelectorAll(".doc-text"), function (box) {
    var first = box.querySelector("mark.metric");
    if (first) box.scrollTop = Math.max(0, first.offsetTop - 60);
  });

  // Charts are drawn while the page is still being parsed, before the grid has its final columns: fit them now.
  if (window.Plotly) {
    Array.prototype.forEach.call(document.querySelectorAll(".plotly-graph-div"), function (div) {
      window.Plotly.Plots.resize(div);
    });
  }
  document.body.dataset.explorerReady = "true";
})();

// Chinese glyphs or empty boxes? Draw a common ideograph and a code point no font has (U+10FFFD, private use) in
// the page's font: identical pixels mean both are the missing-glyph box, so no installed font covers Chinese.
(function () {
  var notice = document.getElementById("font-notice");
  var canvas = document.createElement("canvas");
  var ctx = canvas.getContext && canvas.getContext("2d");
  if (!notice || !ctx) return;
  canvas.width = 64;
  canvas.height = 40;
  ctx.font = "32px " + getComputedStyle(document.documentElement).fontFamily;
  function pixels(text) {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.fillText(text, 0, 32);
    return Array.prototype.join.call(ctx.getImageData(0, 0, canvas.width, canvas.height).data, ",");
  }
  var tofu = pixels("\u653f") === pixels("\udbff\udffd");
  document.documentElement.dataset.cjkGlyphs = tofu ? "missing" : "present";
  notice.hidden = !tofu;
})();
