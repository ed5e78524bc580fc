// Every admin form asks before the page is left with changes that were not saved (beforeunload).
// A change is any input after the page loaded; submitting the form is not leaving it.
(function () {
  "use strict";
  function start() {
    var form = document.querySelector("#content-main form[method=post]");
    if (!form) return;
    var changed = false;
    var submitting = false;
    function mark(event) {
      if (event.isTrusted || event.target.name === "body") changed = true;
    }
    form.addEventListener("input", mark);
    form.addEventListener("change", mark);
    form.addEventListener("submit", function () { submitting = true; });
    window.addEventListener("beforeunload", function (event) {
      if (!changed || submitting) return;
      event.preventDefault();
      event.returnValue = "";
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
