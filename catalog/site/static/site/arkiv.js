// Small enhancements only: every page works the same without this file.
(function () {
  "use strict";

  // The tree of a unit's contents (site/includes/tree_level.html). Without script each toggle
  // is a link that reloads the page with that unit open (?open=...); here it becomes a button
  // that reads the level from the unit's tree URL (data-tree) and opens it in place, and a
  // "more" link appends the next page of a level. A failed request falls back to the link.
  function enhanceTree(root) {
    root.querySelectorAll("a.unit-tree__toggle").forEach(function (toggle) {
      toggle.setAttribute("role", "button");
    });
  }

  function readLevel(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.text();
    }).then(function (text) {
      var level = new DOMParser().parseFromString(text, "text/html").querySelector("ul.unit-tree");
      if (!level) { throw new Error("No level in the answer"); }
      return document.importNode(level, true);
    });
  }

  function toggle(link) {
    var below = document.getElementById(link.getAttribute("aria-controls"));
    var open = link.getAttribute("aria-expanded") === "true";
    if (below) {
      below.hidden = open;
      link.setAttribute("aria-expanded", open ? "false" : "true");
      return;
    }
    if (link.getAttribute("aria-busy") === "true") { return; }
    link.setAttribute("aria-busy", "true");
    readLevel(link.dataset.tree).then(function (level) {
      enhanceTree(level);
      link.closest(".unit-tree__node").appendChild(level);
      link.setAttribute("aria-expanded", "true");
      link.removeAttribute("aria-busy");
    }).catch(function () {
      window.location.assign(link.href);
    });
  }

  function more(link) {
    var item = link.closest(".unit-tree__more");
    link.setAttribute("aria-busy", "true");
    readLevel(link.dataset.tree).then(function (level) {
      var first = null;
      Array.prototype.slice.call(level.children).forEach(function (node) {
        enhanceTree(node);
        item.parentNode.insertBefore(node, item);
        if (!first && node.classList.contains("unit-tree__node")) { first = node; }
      });
      item.remove();  // the new page brought its own "more" where there is a next one
      var title = first && first.querySelector(".unit-tree__title");
      if (title) { title.focus(); }
    }).catch(function () {
      window.location.assign(link.href);
    });
  }

  document.addEventListener("click", function (event) {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; }
    var link = event.target.closest("a.unit-tree__toggle[data-tree], a.unit-tree__more-link[data-tree]");
    if (!link) { return; }
    event.preventDefault();
    if (link.classList.contains("unit-tree__toggle")) { toggle(link); } else { more(link); }
  });

  // A button opens with Space as well as Enter (Enter already clicks a link).
  document.addEventListener("keydown", function (event) {
    if (event.key !== " " || !event.target.matches || !event.target.matches("a.unit-tree__toggle[data-tree]")) { return; }
    event.preventDefault();
    toggle(event.target);
  });

  document.addEventListener("DOMContentLoaded", function () {
    // On a phone the facets start folded, so that the results come first on the screen; the
    // chips above still show every active filter. (The sort menu deliberately waits for its
    // button: WCAG 3.2.2, no change of context on input.)
    if (window.matchMedia("(max-width: 55.99rem)").matches) {
      document.querySelectorAll("details.refine").forEach(function (details) { details.open = false; });
    }
    enhanceTree(document);
  });
})();
