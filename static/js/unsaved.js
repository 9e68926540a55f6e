// Asks before leaving a page whose form marked data-warn-unsaved has changes
// not yet saved: following a link, a search or paging away would drop them.
// Submitting that form saves them, so it leaves without asking.
(function () {
  "use strict";
  var dirty = new Set();

  function track(event) {
    var form = event.target.form; // also a field tied to its form by form="…"
    if (form && form.hasAttribute("data-warn-unsaved")) {
      dirty.add(form);
    }
  }

  document.addEventListener("input", track);
  document.addEventListener("change", track);
  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute("data-warn-unsaved")) {
      dirty.delete(event.target);
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty.size) {
      event.preventDefault();
      event.returnValue = ""; // older browsers show their prompt only with this set
    }
  });
})();
