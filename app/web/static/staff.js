/* Staff pages, progressive enhancement (the pages work without it): a "tick every match on
   this page" box above a table of checkboxes. Loaded from this origin (the Content Security
   Policy allows no inline script). */
(function () {
  "use strict";
  function enhance() {
    document.querySelectorAll("input[data-select-all]").forEach(function (all) {
      var form = all.form;
      var name = all.getAttribute("data-select-all");
      var boxes = form ? form.querySelectorAll('input[type="checkbox"][name="' + name + '"]') : [];
      var label = document.querySelector('label[for="' + all.id + '"]');
      all.hidden = false;
      if (label) { label.hidden = false; }
      function sync() {
        var ticked = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
        all.checked = ticked > 0 && ticked === boxes.length;
        all.indeterminate = ticked > 0 && ticked < boxes.length;
      }
      all.addEventListener("change", function () {
        boxes.forEach(function (box) { box.checked = all.checked; });
      });
      boxes.forEach(function (box) { box.addEventListener("change", sync); });
      sync();
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
