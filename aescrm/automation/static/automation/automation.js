// Progressive enhancement for the rule builder: every form works without this file
// (rows are then added and removed by the server; every step's fields are shown).
(() => {
  // Show only the fields the chosen step type and trigger use.
  function syncRow(row) {
    const select = row.querySelector("select[data-action-type]");
    if (!select) return;
    for (const group of row.querySelectorAll("[data-for-action]")) {
      group.hidden = group.dataset.forAction !== select.value;
    }
  }
  function syncTrigger(form) {
    const select = form.querySelector("select[data-trigger]");
    if (!select) return;
    for (const group of form.querySelectorAll("[data-for-trigger]")) {
      group.hidden = !group.dataset.forTrigger.split(" ").includes(select.value);
    }
  }
  function syncAll(root) {
    for (const row of root.querySelectorAll("[data-action-row]")) syncRow(row);
    for (const form of root.querySelectorAll("form.builder")) syncTrigger(form);
  }
  document.addEventListener("DOMContentLoaded", () => syncAll(document));
  document.addEventListener("htmx:afterSwap", (event) => {
    syncAll(document);
    const target = event.detail.target;
    if (target && (target.id === "action-rows" || target.id === "condition-rows")) {
      const rows = target.querySelectorAll(".builder-row");
      const last = rows[rows.length - 1];
      const first = last && last.querySelector("select, input");
      if (first) first.focus();
      const hint = target.querySelector(".no-rows");
      if (hint) hint.remove();
    }
  });
  document.addEventListener("change", (event) => {
    const el = event.target;
    if (!(el instanceof HTMLSelectElement)) return;
    if (el.hasAttribute("data-action-type")) syncRow(el.closest("[data-action-row]"));
    if (el.hasAttribute("data-trigger") && el.form) syncTrigger(el.form);
  });
  // Remove a row in place rather than posting the form.
  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element && event.target.closest("button[data-remove-row]");
    if (!button) return;
    const row = button.closest(".builder-row");
    if (!row) return;
    event.preventDefault();
    row.remove();
  });
})();
