// The statement inline of the item form offers the related item (Statement.target) only on a
// relation term: the cell's field is hidden on any other term, unless it holds an item already,
// so that a stored link stays in sight until it is removed. Statement.clean refuses a related
// item on any other term whatever this script does: it is a convenience, not the rule.
// The relation terms come from the field itself (data-relation-terms, catalog/relations.py).
(function () {
  "use strict";

  function update(row) {
    const term = row.querySelector("select[name$='-term']");
    const target = row.querySelector("select[name$='-target']");
    if (!term || !target) {
      return;
    }
    const relations = (target.dataset.relationTerms || "").split(" ");
    const offered = relations.includes(term.value) || target.value !== "";
    const cell = target.closest("td") || target.parentElement;
    // Through the CSSOM, which the admin's Content-Security-Policy allows (a style attribute it
    // refuses); `hidden` would lose to the admin's own display rules for the widget's wrapper.
    for (const child of cell.children) {
      child.style.display = offered ? "" : "none";
    }
  }

  function watch(row) {
    const term = row.querySelector("select[name$='-term']");
    if (term && !term.dataset.targetWatched) {
      term.dataset.targetWatched = "1";
      term.addEventListener("change", () => update(row));
    }
    update(row);
  }

  function start() {
    // Rows of the tabular inline, and values of the item editor (catalog/editor.js).
    document.querySelectorAll("#statements-group tr.form-row, #statements-group .editor-value").forEach(watch);
  }

  document.addEventListener("DOMContentLoaded", start);
  // A row added with “Add another Dublin Core statement”.
  document.addEventListener("formset:added", (event) => {
    if (event.detail && event.detail.formsetName === "statements") {
      watch(event.target);
    }
  });
})();
