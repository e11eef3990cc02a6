// The item editor (admin/catalog/item/statement_editor.html), enhanced. Without this script the
// page is a plain formset laid out by element, and works: this script only
//  - hides the position numbers and keeps them true to the order on the page (renumbered on
//    every move and before the form is sent), so values are ordered by dragging their handle or
//    with the Move up / Move down buttons, or Alt+ArrowUp / Alt+ArrowDown inside a value;
//  - puts “Add another” on each element: a copy of the formset's empty form, its term preset to
//    the element's first term, and “Add an element” for the elements not shown yet;
//  - offers in each value's term select only its element's terms, by their plain labels, and
//    hides the select where the element has one term;
//  - shows the authority and related-item fields only on elements that take them.
// Every text it shows comes translated from the page (data-* attributes). CSP: a file, no
// inline script, styles through classes and the CSSOM.
(function () {
  "use strict";

  function enhance(root) {
    const prefix = root.dataset.prefix;
    const total = root.querySelector(`input[name='${prefix}-TOTAL_FORMS']`);
    const status = root.querySelector(".editor-status");
    const empty = root.querySelector("template.editor-empty");
    root.classList.add("enhanced");

    function rows(list) {
      return Array.from(list.children).filter((row) => row.classList.contains("editor-value"));
    }

    function renumber() {
      // Positions in page order, over the whole editor: within an element they are its order.
      root.querySelectorAll(".editor-value").forEach((row, index) => {
        const position = row.querySelector("input[name$='-position']");
        if (position) {
          position.value = index + 1;
        }
      });
    }

    function announce(row) {
      const list = row.parentElement;
      const place = rows(list).indexOf(row) + 1;
      status.textContent = root.dataset.moved
        .replace("%(place)s", place).replace("%(count)s", rows(list).length);
    }

    function move(row, step) {
      const list = row.parentElement;
      const all = rows(list);
      const at = all.indexOf(row);
      const to = at + step;
      if (to < 0 || to >= all.length) {
        return;
      }
      if (step < 0) {
        list.insertBefore(row, all[to]);
      } else {
        list.insertBefore(row, all[to].nextSibling);
      }
      renumber();
      announce(row);
    }

    function button(text, onClick) {
      const made = document.createElement("button");
      made.type = "button";
      made.textContent = text;
      made.addEventListener("click", onClick);
      return made;
    }

    function fitTerms(row, section) {
      const select = row.querySelector("select[name$='-term']");
      if (!select || !section) {
        return;
      }
      const labels = JSON.parse(section.dataset.termLabels || "{}");
      const terms = section.dataset.terms.split(" ");
      const current = select.value;
      Array.from(select.querySelectorAll("option")).forEach((option) => {
        if (option.value !== current && !terms.includes(option.value)) {
          option.remove();
        } else if (labels[option.value]) {
          option.textContent = labels[option.value];
        }
      });
      select.querySelectorAll("optgroup").forEach((group) => {
        if (!group.children.length) {
          group.remove();
        }
      });
      const cell = select.closest(".editor-term");
      cell.classList.toggle("single", terms.length === 1 && terms[0] === select.value);
    }

    function fitFields(row, section) {
      if (!section) {
        return;
      }
      [["authority", ".editor-authority"], ["target", ".editor-target"]].forEach(([flag, selector]) => {
        const cell = row.querySelector(selector);
        const field = cell && cell.querySelector("select");
        if (cell && !section.dataset[flag] && !(field && field.value)) {
          cell.remove();
        }
      });
    }

    function equip(row) {
      const section = row.closest(".editor-section[data-section]");
      fitTerms(row, section);
      fitFields(row, section);
      if (!section || row.querySelector(".editor-move")) {
        return;
      }
      row.draggable = true;
      const handle = document.createElement("span");
      handle.className = "editor-handle";
      handle.textContent = "⠿";
      handle.title = root.dataset.drag;
      handle.setAttribute("aria-hidden", "true");
      row.insertBefore(handle, row.firstChild);
      const moves = document.createElement("div");
      moves.className = "editor-move";
      moves.append(
        button(root.dataset.moveUp, () => move(row, -1)),
        button(root.dataset.moveDown, () => move(row, 1)),
      );
      row.append(moves);
      row.addEventListener("keydown", (event) => {
        if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
          event.preventDefault();
          const focused = document.activeElement;
          move(row, event.key === "ArrowUp" ? -1 : 1);
          if (focused) {
            focused.focus();
          }
        }
      });
      row.addEventListener("dragstart", (event) => {
        if (event.target !== row) {
          return;
        }
        row.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", row.id);
      });
      row.addEventListener("dragend", () => {
        row.classList.remove("dragging");
        root.querySelectorAll(".drop-before").forEach((other) => other.classList.remove("drop-before"));
      });
      row.addEventListener("dragover", (event) => {
        const dragged = root.querySelector(".editor-value.dragging");
        if (dragged && dragged !== row && dragged.parentElement === row.parentElement) {
          event.preventDefault();
          row.classList.add("drop-before");
        }
      });
      row.addEventListener("dragleave", () => row.classList.remove("drop-before"));
      row.addEventListener("drop", (event) => {
        const dragged = root.querySelector(".editor-value.dragging");
        row.classList.remove("drop-before");
        if (dragged && dragged !== row && dragged.parentElement === row.parentElement) {
          event.preventDefault();
          row.parentElement.insertBefore(dragged, row);
          renumber();
          announce(dragged);
        }
      });
    }

    function add(section) {
      const index = parseInt(total.value, 10);
      const holder = document.createElement("div");
      holder.innerHTML = empty.innerHTML.replace(/__prefix__/g, String(index));
      const row = holder.querySelector(".editor-value");
      total.value = String(index + 1);
      section.hidden = false;
      section.querySelector(".editor-values").append(row);
      const term = row.querySelector("select[name$='-term']");
      term.value = section.querySelector(".editor-add").dataset.term;
      const lastLang = Array.from(section.querySelectorAll("input[name$='-lang']"))
        .map((input) => input.value).filter(Boolean).pop();
      if (lastLang) {
        row.querySelector("input[name$='-lang']").value = lastLang;  // as the value before it
      }
      equip(row);
      renumber();
      // Django's autocomplete (and statement-target.js) start their widgets on this event.
      row.dispatchEvent(new CustomEvent("formset:added", { bubbles: true, detail: { formsetName: prefix } }));
      refreshMore();
      row.querySelector("textarea[name$='-value']").focus();  // the value: the term is preset
      return row;
    }

    const more = root.querySelector(".editor-more");
    const moreSelect = more.querySelector("select");

    function refreshMore() {
      Array.from(moreSelect.options).slice(1).forEach((option) => option.remove());
      root.querySelectorAll(".editor-section[data-section][hidden]").forEach((section) => {
        const option = document.createElement("option");
        option.value = section.dataset.section;
        option.textContent = section.querySelector("h3").textContent.trim();
        moreSelect.append(option);
      });
      more.hidden = moreSelect.options.length < 2;
    }

    more.querySelector("button").addEventListener("click", () => {
      const section = root.querySelector(`.editor-section[data-section='${moreSelect.value}']`);
      if (section) {
        add(section);
      }
    });

    root.querySelectorAll(".editor-section[data-section]").forEach((section) => {
      const adder = section.querySelector(".editor-add");
      adder.hidden = false;
      adder.addEventListener("click", () => add(section));
      rows(section.querySelector(".editor-values")).forEach(equip);
    });
    // The fallback's row without a term: the elements' own “Add” replaces it.
    root.querySelectorAll(".editor-loose").forEach((loose) => {
      if (!loose.querySelector(".errorlist")) {
        loose.hidden = true;
      }
    });
    refreshMore();
    renumber();
    const form = root.closest("form");
    if (form) {
      form.addEventListener("submit", renumber);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".statement-editor").forEach(enhance);
  });
})();
