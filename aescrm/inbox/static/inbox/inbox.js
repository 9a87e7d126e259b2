// Progressive enhancement for the inbox: every form works without this file
// (canned replies are then put into the box by the server). Live updates come
// from htmx polling (see the hx-* attributes in the templates).
(() => {
  // Insert the chosen canned reply where the cursor is, instead of posting the form.
  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element && event.target.closest("button[data-insert-canned]");
    if (!button || !button.form) return;
    const area = document.getElementById(button.dataset.insertCanned);
    const select = button.form.querySelector("select[name=canned]");
    const option = select && select.selectedOptions[0];
    if (!(area instanceof HTMLTextAreaElement) || !option) return;
    event.preventDefault();
    const start = area.selectionStart ?? area.value.length;
    const end = area.selectionEnd ?? start;
    const before = area.value.slice(0, start);
    const glue = before && !before.endsWith("\n") ? "\n" : "";
    const inserted = before + glue + (option.dataset.text || "");
    area.value = inserted + area.value.slice(end);
    area.focus();
    area.setSelectionRange(inserted.length, inserted.length);
    area.dispatchEvent(new Event("input", { bubbles: true }));
  });

  // The SMS part counter only means something when replying by SMS.
  function syncCounter(form) {
    const chosen = form.querySelector("input[name=channel]:checked");
    for (const el of form.querySelectorAll("[data-sms-only]")) {
      el.hidden = Boolean(chosen) && chosen.value !== "sms";
    }
  }
  document.addEventListener("change", (event) => {
    const el = event.target;
    if (el instanceof HTMLInputElement && el.name === "channel" && el.form) syncCounter(el.form);
  });

  // Keep the newest message in view, unless the reader has scrolled up to read older ones;
  // tell screen-reader users when a new message from the patient arrives.
  let stayAtBottom = true;
  let inbound = 0;
  const thread = () => document.querySelector("#thread-region .thread");
  const toBottom = () => {
    const list = thread();
    if (list) list.scrollTop = list.scrollHeight;
  };
  document.addEventListener("htmx:beforeSwap", (event) => {
    const list = thread();
    if (list && event.detail.target && event.detail.target.id === "thread-region") {
      stayAtBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    }
  });
  document.addEventListener("htmx:afterSwap", (event) => {
    if (!event.detail.target || event.detail.target.id !== "thread-region") return;
    if (stayAtBottom) toBottom();
    const now = document.querySelectorAll("#thread-region .thread-inbound").length;
    const live = document.getElementById("thread-live");
    if (live && now > inbound) live.textContent = `${now - inbound} new message${now - inbound > 1 ? "s" : ""} from ${live.dataset.from || "the patient"}`;
    inbound = now;
  });

  document.addEventListener("DOMContentLoaded", () => {
    for (const form of document.querySelectorAll("form.reply-form")) syncCounter(form);
    inbound = document.querySelectorAll("#thread-region .thread-inbound").length;
    toBottom();
  });
})();
