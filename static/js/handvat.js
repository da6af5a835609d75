/* Handvat: the little behaviour the pages need. Everything works without it. */
(function () {
  "use strict";

  // The emergency guidance shows at once when someone answers "yes" to
  // "is anyone in danger right now?" (and stays visible without JavaScript).
  function setUpEmergency(form) {
    var panel = form.querySelector("[data-emergency-panel]");
    var radios = form.querySelectorAll("input[name='in_danger']");
    if (!panel || !radios.length) return;
    function update() {
      var checked = form.querySelector("input[name='in_danger']:checked");
      var show = checked && checked.value !== "no";
      panel.hidden = !show;
      panel.setAttribute("role", show ? "alert" : "region");
    }
    for (var i = 0; i < radios.length; i++) radios[i].addEventListener("change", update);
    update();
  }

  // Move focus to the error summary so a screen reader announces it.
  function focusErrors() {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) summary.focus();
  }

  // Tell before a file is too large, instead of after a long upload.
  function setUpFileLimits(form) {
    var input = form.querySelector("input[type='file'][data-max-bytes]");
    if (!input) return;
    input.addEventListener("change", function () {
      var max = parseInt(input.getAttribute("data-max-bytes"), 10);
      var tooBig = [];
      for (var i = 0; i < input.files.length; i++) {
        if (input.files[i].size > max) tooBig.push(input.files[i].name);
      }
      input.setCustomValidity(tooBig.length ? input.getAttribute("data-too-big-message") + " " + tooBig.join(", ") : "");
      input.reportValidity();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("[data-report-form]");
    for (var i = 0; i < forms.length; i++) {
      setUpEmergency(forms[i]);
      setUpFileLimits(forms[i]);
    }
    focusErrors();
  });
})();
