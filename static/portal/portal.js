// After a failed submit, take keyboard and screen-reader focus to the error
// summary so the user hears what to correct (or, after an action refused
// without a form, to the first error message). Each error in the summary
// links to its field: following the link puts the focus in the field (a
// fragment link alone only scrolls) and shows the field's label above it.
(function () {
  "use strict";
  var summary = document.getElementById("form-errors");
  if (!summary) {
    var message = document.querySelector("[data-focus-on-load]");
    if (message) {
      message.focus();
    }
    return;
  }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(link.hash.slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    var label = document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });
})();
