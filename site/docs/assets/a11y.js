/* A table that scrolls sideways (on a phone) can be scrolled with the keyboard: its scroll
 * box takes focus (WCAG 2.1.1), and is named for screen readers. */
(function () {
  "use strict";
  function label() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (box) {
      if (box.scrollWidth <= box.clientWidth || box.hasAttribute("tabindex")) return;
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "表格（可左右滚动）");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", label);
  else label();
  window.addEventListener("resize", label);
})();
