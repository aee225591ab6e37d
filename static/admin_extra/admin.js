// Django's admin notes "You are N hours behind server time" under every date
// and time input when the browser's time zone differs from the event's. A
// date alone has no time zone: keep the note for times only. Runs before
// DateTimeShortcuts.init (both on "load"; this listener is registered first,
// from the page head).
(function () {
  "use strict";
  window.addEventListener("load", function () {
    if (typeof DateTimeShortcuts === "undefined") return;
    var original = DateTimeShortcuts.addTimezoneWarning;
    DateTimeShortcuts.addTimezoneWarning = function (input) {
      var dateOnly = input.classList.contains("vDateField") &&
        !/_0$/.test(input.name || "");
      if (dateOnly) return;
      original.call(DateTimeShortcuts, input);
    };
  });
})();
