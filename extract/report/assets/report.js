// selfeval review report: a finding or a row shows its cell on the page image, a cell
// shows its rows and findings; the overview's filters. No libraries, no network.
(function () {
  "use strict";
  function clear() {
    document.querySelectorAll(".active").forEach(function (e) { e.classList.remove("active"); });
  }
  function reveal(element) {
    if (element) element.scrollIntoView({ block: "center", inline: "nearest" });
  }
  function showCells(ids, source) {
    clear();
    if (source) source.classList.add("active");
    var first = null;
    ids.forEach(function (id) {
      var cell = document.getElementById(id);
      if (cell) { cell.classList.add("active"); first = first || cell; }
    });
    reveal(first);
  }
  function showLinks(cell) {
    clear();
    cell.classList.add("active");
    var linked = document.querySelectorAll('[data-cell~="' + cell.id + '"], [data-cells~="' + cell.id + '"]');
    linked.forEach(function (e) { e.classList.add("active"); });
    reveal(linked[0]);
  }
  function activate(target) {
    var finding = target.closest("[data-cell]");
    if (finding) { if (finding.dataset.cell) showCells([finding.dataset.cell], finding); return true; }
    var row = target.closest("[data-cells]");
    if (row) { showCells(row.dataset.cells.split(" ").filter(Boolean), row); return true; }
    var cell = target.closest(".cell");
    if (cell) { showLinks(cell); return true; }
    return false;
  }
  document.addEventListener("click", function (event) { activate(event.target); });
  document.addEventListener("keydown", function (event) {
    if ((event.key === "Enter" || event.key === " ") && event.target.matches("[data-cells], .cell")) {
      if (activate(event.target)) event.preventDefault();
    }
  });

  var table = document.getElementById("files");
  if (!table) return;
  var status = document.getElementById("filter-status");
  var rule = document.getElementById("filter-rule");
  var family = document.getElementById("filter-family");
  var shown = document.getElementById("shown");
  function has(list, value) { return !value || (" " + list + " ").indexOf(" " + value + " ") >= 0; }
  function filter() {
    var count = 0;
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var visible = (!status.value || row.dataset.status === status.value) &&
        has(row.dataset.rules, rule.value) && has(row.dataset.family, family.value);
      row.hidden = !visible;
      if (visible) count += 1;
    });
    shown.textContent = count + " shown";
  }
  [status, rule, family].forEach(function (select) { select.addEventListener("change", filter); });
})();
