// The "Now and next" screen reloads itself every data-seconds seconds; the
// "Pause updates" toggle stops and restarts it (WCAG 2.2.1: a page that
// changes by itself can be paused).
(function () {
  "use strict";
  var seconds = parseInt(document.currentScript.dataset.seconds, 10) || 60;
  var button = document.getElementById("now-pause");
  var timer = null;

  function start() {
    timer = window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
  }

  start();
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    if (timer) {
      window.clearTimeout(timer);
      timer = null;
      button.setAttribute("aria-pressed", "true");
    } else {
      start();
      button.setAttribute("aria-pressed", "false");
    }
  });
})();
