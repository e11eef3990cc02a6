// Small enhancements only: every page works the same without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // On a phone the facets start folded, so that the results come first on the screen; the
    // chips above still show every active filter. (The sort menu deliberately waits for its
    // button: WCAG 3.2.2, no change of context on input.)
    if (window.matchMedia("(max-width: 55.99rem)").matches) {
      document.querySelectorAll("details.refine").forEach(function (details) { details.open = false; });
    }
  });
})();
