// Progressive enhancement: after a form comes back with errors, move focus to the summary of
// them, so that a screen reader reads it first and a keyboard starts from its links (GOV.UK's
// error summary does the same). Without JavaScript the summary is still the first thing in
// the page's content, and the page title starts with "Error:".
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (!summary) {
    return;
  }
  summary.setAttribute("tabindex", "-1");
  summary.focus();
  // Links in the summary go to the first choice of the field that needs an answer.
  summary.querySelectorAll("a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) {
        return;
      }
      event.preventDefault();
      var legend = target.closest("fieldset");
      (legend || target).scrollIntoView();
      target.focus();
    });
  });
})();
