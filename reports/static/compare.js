/* Compare countries: show the columns of the countries ticked; the choice is kept in the
 * page's address (#AT,DE) so that a link reproduces it. Hand-written, no dependency. */
(function () {
  "use strict";

  var form = document.getElementById("compare-picker");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name='country']"));
  var cells = document.querySelectorAll("#compare-table [data-country]");

  function show() {
    var chosen = {};
    boxes.forEach(function (box) { if (box.checked) { chosen[box.value] = true; } });
    cells.forEach(function (cell) { cell.hidden = !chosen[cell.dataset.country]; });
    var codes = Object.keys(chosen);
    try {
      history.replaceState(null, "", "#" + codes.join(","));
    } catch (error) { /* some browsers refuse on file:// pages */ }
  }

  function fromHash() {
    var wanted = location.hash.replace(/^#/, "").split(",").filter(Boolean);
    if (!wanted.length) { return; }
    boxes.forEach(function (box) { box.checked = wanted.indexOf(box.value) >= 0; });
  }

  form.addEventListener("change", show);
  window.addEventListener("hashchange", function () { fromHash(); show(); });
  form.hidden = false;
  fromHash();
  show();
  document.documentElement.dataset.compare = "ready";
})();
