// The item page's deep-zoom viewer: OpenSeadragon over each image's IIIF Image API service
// (info.json). Progressive enhancement: the page shows its plain images; only once the first
// image has opened here are they hidden (their captions and download links stay). Without
// script, without OpenSeadragon, or if the image service fails, nothing changes.
(function () {
  "use strict";

  var section = document.querySelector("[data-viewer]");
  if (!section || typeof window.OpenSeadragon !== "function") { return; }

  var sources = JSON.parse(section.getAttribute("data-sources") || "[]");
  if (!sources.length) { return; }
  var canvas = section.querySelector("[data-canvas]");
  var status = section.querySelector("[data-status]");
  var current = 0;
  var opened = false;

  // OpenSeadragon's constructor writes a <style> element (to hide the focus ring after a tap)
  // unless document.querySelector finds one marked as its own. The site's Content-Security-Policy
  // refuses inline styles, and even an empty <style> in the page is reported, so while the
  // viewer is built that query is answered with a detached element; viewer.css uses
  // :focus-visible, which a tap does not show anyway.
  function withoutInlineStyle(build) {
    var mark = "style[data-openseadragon-mobile-css]";
    var query = document.querySelector;
    document.querySelector = function (selector) {
      return selector === mark ? document.createElement("style") : query.apply(document, arguments);
    };
    try {
      return build();
    } finally {
      delete document.querySelector;
    }
  }

  // The container needs its size before OpenSeadragon measures it; hidden again on failure.
  section.hidden = false;
  var options = {
    element: canvas,
    tileSources: sources.map(function (source) { return source.info; }),
    sequenceMode: sources.length > 1,
    drawer: "canvas",
    // Arkiv's own buttons (translated, keyboard-operable) replace the image buttons.
    showNavigationControl: false,
    showSequenceControl: false,
    showNavigator: false,
    visibilityRatio: 0.5,
    minZoomImageRatio: 0.8,
    maxZoomPixelRatio: 2,
    gestureSettingsTouch: { pinchToZoom: true, flickEnabled: true, dblClickToZoom: true },
    gestureSettingsMouse: { scrollToZoom: true, clickToZoom: false, dblClickToZoom: true }
  };
  var viewer = withoutInlineStyle(function () { return window.OpenSeadragon(options); });

  // For people and tests reading the viewer's state from the page (section.arkivViewer.viewport).
  section.arkivViewer = viewer;

  function label(index) {
    var text = section.getAttribute("data-page-label")
      .replace("%(number)s", String(index + 1))
      .replace("%(total)s", String(sources.length));
    return sources[index].label ? text + ": " + sources[index].label : text;
  }

  function describe() {
    // The canvas is what takes the keys (arrows, + and −, 0): name it for screen readers.
    viewer.canvas.setAttribute("role", "application");
    viewer.canvas.setAttribute("aria-roledescription", section.getAttribute("data-role-name"));
    viewer.canvas.setAttribute("aria-label", label(current));
    if (status) { status.textContent = label(current); }
    var previous = section.querySelector("[data-action=previous]");
    var next = section.querySelector("[data-action=next]");
    if (previous) { previous.disabled = current === 0; }
    if (next) { next.disabled = current === sources.length - 1; }
  }

  viewer.addHandler("open", function () {
    if (!opened) {
      opened = true;
      document.querySelectorAll(".item__figure").forEach(function (figure) {
        figure.classList.add("item__figure--in-viewer");
      });
      section.classList.add("viewer--open");
    }
    describe();
  });

  viewer.addHandler("open-failed", function () {
    if (!opened) {
      // The plain images were never hidden: the page stays as it was without script.
      viewer.destroy();
      section.hidden = true;
    } else if (status) {
      status.textContent = section.getAttribute("data-failed");
    }
  });

  viewer.addHandler("page", function (event) {
    current = event.page;
  });

  function goTo(index) {
    if (index >= 0 && index < sources.length && index !== current) {
      viewer.goToPage(index);
    }
  }

  var actions = {
    "zoom-in": function () { viewer.viewport.zoomBy(1.5); viewer.viewport.applyConstraints(); },
    "zoom-out": function () { viewer.viewport.zoomBy(1 / 1.5); viewer.viewport.applyConstraints(); },
    "home": function () { viewer.viewport.goHome(); },
    "previous": function () { goTo(current - 1); },
    "next": function () { goTo(current + 1); },
    "full-screen": function (button) {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else if (section.requestFullscreen) {
        section.requestFullscreen().catch(function () { /* refused: the page stays as it is */ });
      }
    }
  };

  // Phones without the Fullscreen API for elements (iOS Safari) get no button that does nothing.
  var fullScreen = section.querySelector("[data-action=full-screen]");
  if (fullScreen && !(section.requestFullscreen && document.fullscreenEnabled)) {
    fullScreen.hidden = true;
  }

  section.querySelectorAll("[data-action]").forEach(function (button) {
    button.addEventListener("click", function () {
      actions[button.getAttribute("data-action")](button);
    });
  });

  document.addEventListener("fullscreenchange", function () {
    var button = section.querySelector("[data-action=full-screen]");
    if (button) { button.setAttribute("aria-pressed", document.fullscreenElement === section ? "true" : "false"); }
  });

  // Page Up and Page Down turn the images wherever focus is inside the viewer.
  section.addEventListener("keydown", function (event) {
    if (event.key === "PageDown" || event.key === "PageUp") {
      goTo(current + (event.key === "PageDown" ? 1 : -1));
      event.preventDefault();
    }
  });
})();
