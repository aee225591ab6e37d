// After a failed submit, take keyboard and screen-reader focus to the error
// summary so the user hears what to correct.
(function () {
  "use strict";
  var summary = document.getElementById("form-errors");
  if (summary) {
    summary.focus();
  }
})();
