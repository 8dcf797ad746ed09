/* The queue acting in place (moderation.pages.moderators): select all / none, the next
 * case taking focus after a row's action, a row's call-in opened under it, and the
 * polled rows (every few seconds, moderation.pages.live) swapped without losing what
 * the moderator ticked, where they were, or a call-in they are writing.  The queue's
 * swaps settle at once (settle:0ms), so no key pressed in between finds no current row.
 */
(function () {
  "use strict";

  let after = null; // where focus goes once the queue comes back from an action
  let kept = null; // what the moderator had ticked and where they were, across a poll

  function caseRows() {
    return Array.from(document.querySelectorAll("tr[data-case-url]"));
  }

  function rowOf(element) {
    const row = element instanceof Element ? element.closest("tr[data-case-id]") : null;
    if (row && row.classList.contains("queue-callin")) {
      return document.getElementById("case-row-" + row.dataset.caseId);
    }
    return row;
  }

  function makeCurrent(row) {
    for (const other of caseRows()) {
      other.classList.remove("is-current");
      other.removeAttribute("aria-current");
    }
    if (!row) return;
    row.classList.add("is-current");
    row.setAttribute("aria-current", "true");
    const link = row.querySelector("a[href]");
    if (link) link.focus();
  }

  function showSelectButtons() {
    for (const span of document.querySelectorAll(".select-buttons")) span.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", showSelectButtons);

  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const select = target && target.closest("[data-select]");
    if (select) {
      const on = select.dataset.select === "all";
      for (const box of document.querySelectorAll('input[type="checkbox"][form="bulk-form"]')) {
        box.checked = on;
      }
      return;
    }
    const close = target && target.closest("[data-callin-close]");
    if (close) closeCallIn(close);
  });

  function closeCallIn(element) {
    const extra = element.closest(".queue-callin");
    if (!extra) return;
    const row = rowOf(extra);
    extra.remove();
    makeCurrent(row);
  }

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !(event.target instanceof Element)) return;
    if (event.target.closest(".queue-callin")) {
      event.preventDefault();
      closeCallIn(event.target);
    }
  });

  // A row's call-in is opened once: asking again goes back to the one being written.
  document.addEventListener("htmx:beforeRequest", (event) => {
    const element = event.detail.elt;
    const open = element.dataset && element.dataset.callin;
    const existing = open && document.getElementById(open);
    if (existing) {
      event.preventDefault();
      focusCallIn(existing);
      return;
    }
    const config = event.detail.requestConfig;
    if (element.id === "bulk-form") {
      // After a bulk action the first ticked case (or the first row) is current.
      const ticked = document.querySelector('input[form="bulk-form"]:checked');
      after = { id: ticked ? ticked.value : null, index: 0 };
      return;
    }
    const row = rowOf(element);
    if (row && config && config.verb === "post") {
      // An action on this row (or in its call-in): the row after it takes focus next.
      const rows = caseRows();
      const index = rows.indexOf(row);
      const next = rows[index + 1];
      after = { id: next ? next.dataset.caseId : null, index: index };
    }
  });

  // An action that never came back (the network, a server error) moves nothing later.
  for (const failed of ["htmx:responseError", "htmx:sendError"]) {
    document.addEventListener(failed, () => {
      after = null;
    });
  }

  function focusCallIn(extra) {
    const box = extra.querySelector("textarea") || extra.querySelector("a, button");
    if (box) box.focus();
  }

  // A poll that would swap the rows while a call-in is being written waits for the next.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const target = event.detail.target;
    // A 304 swaps nothing (the htmx config in templates/moderation/_scripts.html).
    if (!target || !event.detail.shouldSwap) return;
    if (target.id !== "queue-live") {
      kept = null; // the whole queue comes back: nothing of a poll's to restore
      return;
    }
    if (target.querySelector(".queue-callin")) {
      event.detail.shouldSwap = false;
      return;
    }
    const focused = rowOf(document.activeElement);
    const row = focused || document.querySelector("tr.is-current[data-case-id]");
    kept = {
      ticked: Array.from(target.querySelectorAll('input[form="bulk-form"]:checked'), (b) => b.value),
      current: row ? row.dataset.caseId : null,
      focused: Boolean(focused),
    };
  });

  document.addEventListener("htmx:afterSettle", (event) => {
    showSelectButtons();
    const target = event.detail.target;
    const extra = target && target.id && target.id.startsWith("callin-")
      ? document.getElementById(target.id)
      : null;
    const opened = event.detail.elt && event.detail.elt.dataset && event.detail.elt.dataset.callin;
    if (extra || opened) {
      // A call-in opened under its row, or sent back with a refusal: write in it.
      after = null;
      const shown = extra || document.getElementById(opened);
      if (shown) focusCallIn(shown);
      return;
    }
    const swapped = target && target.id;
    if (kept && swapped === "queue-live") {
      for (const id of kept.ticked) {
        const box = document.getElementById("sel-" + id);
        if (box) box.checked = true;
      }
      const row = kept.current && document.getElementById("case-row-" + kept.current);
      if (row && kept.focused) makeCurrent(row);
      else if (row) {
        row.classList.add("is-current");
        row.setAttribute("aria-current", "true");
      }
      kept = null;
    }
    if (after && swapped === "queue-page") {
      const rows = caseRows();
      const row =
        (after.id && document.getElementById("case-row-" + after.id)) ||
        rows[Math.min(after.index, rows.length - 1)];
      after = null;
      if (row) makeCurrent(row);
    }
  });
})();
