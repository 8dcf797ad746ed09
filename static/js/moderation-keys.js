/* Keyboard shortcuts of the moderation queue and case page; "?" lists them.
 *
 * One listener on the document that looks elements up when a key is pressed, so the
 * keys keep working after htmx swaps part of the page.  Each shortcut does nothing on
 * a page without its element: in the queue j/k move a current row and a letter presses
 * that row's button marked with it (data-key: c, n, a, r, h), x ticks the row; on the
 * case page j/k go to the next and previous case, c/n/p/r/u to the case's forms.
 */
(function () {
  "use strict";

  const TYPING = "input, textarea, select";
  // Enter on these already does what they say.
  const ACTIVE = "a[href], button, summary";

  function isTyping(element) {
    return element instanceof Element && (element.matches(TYPING) || element.isContentEditable);
  }

  function helpDialog() {
    return document.getElementById("keys-help");
  }

  function openHelp() {
    const dialog = helpDialog();
    if (!dialog) return false;
    if (!dialog.open) dialog.showModal();
    return true;
  }

  // --- the queue: a current row that j and k move ---------------------------------------

  function rows() {
    return Array.from(document.querySelectorAll("tr[data-case-url]"));
  }

  function currentIndex(all) {
    // The row holding keyboard focus (reached with Tab, say), else the one marked.
    const focused = all.findIndex((row) => row.contains(document.activeElement));
    return focused !== -1 ? focused : all.findIndex((row) => row.classList.contains("is-current"));
  }

  function move(step) {
    const all = rows();
    if (!all.length) return false;
    const current = currentIndex(all);
    const next = current === -1 ? 0 : Math.min(Math.max(current + step, 0), all.length - 1);
    for (const row of all) {
      row.classList.remove("is-current");
      row.removeAttribute("aria-current");
    }
    const row = all[next];
    row.classList.add("is-current");
    row.setAttribute("aria-current", "true");
    const link = row.querySelector("a[href]");
    if (link) link.focus();
    return true;
  }

  function currentRow() {
    const all = rows();
    const index = currentIndex(all);
    return index === -1 ? null : all[index];
  }

  // A letter a current row's button carries (data-key) presses it; x ticks the row.
  function rowKey(key) {
    const row = currentRow();
    if (!row) return false;
    if (key === "x") {
      const box = row.querySelector('input[type="checkbox"]');
      if (box) box.checked = !box.checked;
      return Boolean(box);
    }
    const control = Array.from(row.querySelectorAll("[data-key]")).find(
      (element) => element.dataset.key === key,
    );
    if (!control) return false;
    control.click();
    return true;
  }

  function follow(id) {
    const link = document.getElementById(id);
    if (!link) return false;
    window.location.assign(link.href);
    return true;
  }

  function openCurrent(event) {
    const row = document.querySelector("tr.is-current[data-case-url]");
    if (!row || event.target.closest(ACTIVE)) return false;
    window.location.assign(row.dataset.caseUrl);
    return true;
  }

  // --- the case page: straight to a form --------------------------------------------------

  function focusField(id, scrollToForm) {
    const field = document.getElementById(id);
    if (!field) return false;
    if (scrollToForm && field.form) field.form.scrollIntoView({ block: "start" });
    field.focus({ preventScroll: scrollToForm });
    return true;
  }

  function submitForm(id) {
    const form = document.getElementById(id);
    if (!form) return false;
    form.requestSubmit(); // validates and fires "submit", which htmx answers in place
    return true;
  }

  const KEYS = {
    "?": openHelp,
    j: () => move(1) || follow("next-case"),
    k: () => move(-1) || follow("prev-case"),
    Enter: openCurrent,
    c: () => focusField("call-in-message", true),
    n: () => focusField("note-body", false),
    p: () => submitForm("pause-replies-form"),
    r: () => focusField("resolve-outcome", false),
    u: () => submitForm("undo-form"),
  };

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.isComposing) return;
    const target = event.target;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.altKey) {
      // Ctrl+Enter (Cmd+Enter) sends the action form being written in.
      const form = target instanceof HTMLTextAreaElement ? target.form : null;
      if (form && form.method === "post") {
        event.preventDefault();
        form.requestSubmit();
      }
      return;
    }
    const dialog = helpDialog();
    if (event.key === "Escape") {
      if (dialog && dialog.open) {
        event.preventDefault();
        dialog.close();
      }
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey || isTyping(target)) return;
    if (dialog && dialog.open) return;
    if (event.key.length === 1 && rowKey(event.key)) {
      event.preventDefault();
      return;
    }
    const shortcut = Object.hasOwn(KEYS, event.key) ? KEYS[event.key] : null;
    if (shortcut && shortcut(event)) event.preventDefault();
  });

  document.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("#keys-help-open")) openHelp();
  });

  // Scripts are deferred, so the page is parsed: show the button that lists the keys.
  const button = document.getElementById("keys-help-open");
  if (button) button.hidden = false;
})();
