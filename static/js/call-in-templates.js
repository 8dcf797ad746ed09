// Switching call-in templates on the case page swaps the text in place (no reload) and
// keeps what was typed: each template's edited text comes back when it is chosen again.
(function () {
  "use strict";
  var drafts = {};

  function removeReloadButton() {
    var form = document.getElementById("call-in-template-form");
    var button = form && form.querySelector(".no-js-only");
    if (button) button.remove();
  }

  document.addEventListener("DOMContentLoaded", removeReloadButton);
  document.addEventListener("htmx:afterSwap", removeReloadButton);

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.id !== "template") return;
    var box = document.getElementById("call-in-message");
    if (!box) return;
    drafts[select.dataset.current] = box.value;
    var chosen = select.options[select.selectedIndex];
    box.value = drafts[chosen.value] !== undefined ? drafts[chosen.value] : chosen.dataset.text;
    select.dataset.current = chosen.value;
  });
})();
