// Progressive enhancement: ticking an exclusive answer ("None of these") clears the others,
// and ticking any other clears it. The server enforces the same rule without JavaScript.
(function () {
  "use strict";
  document.querySelectorAll("form[data-exclusive]").forEach(function (form) {
    var exclusive = form.dataset.exclusive.split(" ").filter(Boolean);
    if (!exclusive.length) {
      return;
    }
    var boxes = form.querySelectorAll("input[type=checkbox]");
    boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        if (!box.checked) {
          return;
        }
        var lonely = exclusive.indexOf(box.value) !== -1;
        boxes.forEach(function (other) {
          if (other !== box && (lonely || exclusive.indexOf(other.value) !== -1)) {
            other.checked = false;
          }
        });
      });
    });
  });
})();
