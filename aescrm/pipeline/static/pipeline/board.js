// The pipeline board, enhanced: ticking speed-to-lead timers, moves without a page
// load, arrow keys on a focused card, drag and drop. Without this file every
// card still moves through its own "Move to…" form.
(() => {
  "use strict";
  const ORDER = ["new", "contacted", "consultation_booked", "treatment_booked", "won"];

  function durationText(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    if (s < 60) return `${s} s`;
    if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
    if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
    const days = Math.floor(s / 86400);
    return days === 1 ? "1 day" : `${days} days`;
  }

  function tick() {
    const now = Date.now();
    document.querySelectorAll("time.ticker[data-since]").forEach((el) => {
      const since = Date.parse(el.dataset.since);
      if (!Number.isNaN(since)) el.textContent = durationText((now - since) / 1000);
    });
  }

  function announce(text) {
    const region = document.getElementById("board-status");
    if (!region) return;
    region.textContent = "";
    window.setTimeout(() => { region.textContent = text; }, 50);
  }

  function updateCounts() {
    document.querySelectorAll(".board-column").forEach((column) => {
      const count = column.querySelector("h2 .count");
      const cards = column.querySelectorAll(".lead-card").length;
      if (count) count.textContent = `(${cards}${count.textContent.includes("+") ? "+" : ""})`;
      const empty = column.querySelector(".board-cards > .empty");
      if (empty) empty.hidden = cards > 0;
    });
  }

  function toggleLostFields(form) {
    const select = form.querySelector("select[name=stage]");
    const fields = form.querySelector(".lost-fields");
    if (select && fields) fields.hidden = select.value !== "lost";
  }

  async function send(form, data) {
    const card = form.closest(".lead-card");
    const error = card ? card.querySelector(".card-error") : null;
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body: data,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
    } catch (err) {
      announce("The move could not be saved: no connection. Try again.");
      return;
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const message = body.error ? body.error.charAt(0).toUpperCase() + body.error.slice(1) + "." : "That did not work.";
      if (error) { error.textContent = message; error.hidden = false; }
      announce(message);
      return;
    }
    const holder = document.createElement("div");
    holder.innerHTML = body.html.trim();
    const fresh = holder.firstElementChild;
    const target = document.querySelector(`#column-${body.stage} .board-cards`);
    if (card && fresh && target) {
      card.remove();
      target.prepend(fresh);
      enhanceCard(fresh);
      fresh.focus();
    }
    updateCounts();
    announce(body.message);
    tick();
  }

  function moveTo(card, stage) {
    const form = card.querySelector("form.move-form");
    if (!form) return;
    const data = new FormData(form);
    data.set("stage", stage);
    if (stage !== "lost") { data.delete("lost_reason"); data.delete("lost_note"); }
    send(form, data);
  }

  function allowed(card) {
    return (card.dataset.allowed || "").split(" ").filter(Boolean);
  }

  function askForLostReason(card) {
    const form = card.querySelector("form.move-form");
    if (!form) return;
    const select = form.querySelector("select[name=stage]");
    if (select) select.value = "lost";
    toggleLostFields(form);
    const reason = form.querySelector("select[name=lost_reason]");
    if (reason) reason.focus();
    announce("Choose why the lead was lost, then press Move.");
  }

  function onKey(event) {
    const card = event.currentTarget;
    if (event.target !== card || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
    event.preventDefault();
    const here = ORDER.indexOf(card.dataset.stage);
    const options = allowed(card).filter((s) => s !== "lost");
    const ahead = options.filter((s) => ORDER.indexOf(s) > here).sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
    const behind = options.filter((s) => ORDER.indexOf(s) < here).sort((a, b) => ORDER.indexOf(b) - ORDER.indexOf(a));
    const next = event.key === "ArrowRight" ? ahead[0] : behind[0];
    if (next) moveTo(card, next);
    else announce(event.key === "ArrowRight" ? "This lead cannot move further right." : "This lead cannot move further left.");
  }

  function enhanceCard(card) {
    card.addEventListener("keydown", onKey);
    card.addEventListener("dragstart", (event) => {
      event.dataTransfer.setData("text/plain", card.dataset.lead);
      event.dataTransfer.effectAllowed = "move";
      card.classList.add("dragging");
    });
    card.addEventListener("dragend", () => card.classList.remove("dragging"));
    const form = card.querySelector("form.move-form");
    if (form) {
      toggleLostFields(form);
      form.querySelector("select[name=stage]").addEventListener("change", () => toggleLostFields(form));
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".lead-card").forEach(enhanceCard);
    document.querySelectorAll(".board-column").forEach((column) => {
      column.addEventListener("dragover", (event) => {
        event.preventDefault();
        column.classList.add("drop-target");
      });
      column.addEventListener("dragleave", () => column.classList.remove("drop-target"));
      column.addEventListener("drop", (event) => {
        event.preventDefault();
        column.classList.remove("drop-target");
        const id = event.dataTransfer.getData("text/plain");
        const card = document.getElementById(`lead-${id}`);
        const stage = column.dataset.stage;
        if (!card || card.dataset.stage === stage) return;
        if (!allowed(card).includes(stage)) {
          announce("A lead cannot move straight to that column.");
          return;
        }
        if (stage === "lost") askForLostReason(card);
        else moveTo(card, stage);
      });
    });
    document.addEventListener("submit", (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.closest(".lead-card")) return;
      event.preventDefault();
      send(form, new FormData(form));
    });
    tick();
    window.setInterval(tick, 1000);
  });
})();
