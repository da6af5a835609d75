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

  // A table wider than the screen scrolls sideways inside its wrapper; only
  // a wrapper that can take the focus can be scrolled with the keyboard
  // (WCAG 2.1.1). Wrappers that fit stay out of the tab order.
  function setUpScrollingTables() {
    var wraps = document.querySelectorAll(".table-wrap");
    if (!wraps.length) return;
    function update() {
      for (var i = 0; i < wraps.length; i++) {
        if (wraps[i].scrollWidth > wraps[i].clientWidth) wraps[i].setAttribute("tabindex", "0");
        else wraps[i].removeAttribute("tabindex");
      }
    }
    window.addEventListener("resize", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpScrollingTables();
    var forms = document.querySelectorAll("[data-report-form]");
    for (var i = 0; i < forms.length; i++) {
      setUpEmergency(forms[i]);
      setUpFileLimits(forms[i]);
    }
    focusErrors();
  });
})();
