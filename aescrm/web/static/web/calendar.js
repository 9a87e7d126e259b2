// The calendar and booking form, enhanced. Drag an appointment to another hour, practitioner or day to
// move it (an htmx POST to its move form's address). The server answers with a redirect
// back to the calendar, or says why the move was refused in #calendar-status. Without
// this file every appointment still moves through its own "Move" form.
(() => {
  "use strict";

  function say(text) {
    const region = document.getElementById("calendar-status");
    if (region) region.textContent = text;
  }

  function enhance(grid) {
    grid.querySelectorAll("article.appointment[draggable=true]").forEach((card) => {
      card.addEventListener("dragstart", (event) => {
        event.dataTransfer.setData("text/plain", card.id);
        event.dataTransfer.effectAllowed = "move";
        card.classList.add("dragging");
      });
      card.addEventListener("dragend", () => card.classList.remove("dragging"));
    });
    grid.querySelectorAll("td[data-drop-hour]").forEach((cell) => {
      cell.addEventListener("dragover", (event) => {
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
        cell.classList.add("drop-target");
      });
      cell.addEventListener("dragleave", () => cell.classList.remove("drop-target"));
      cell.addEventListener("drop", (event) => {
        event.preventDefault();
        cell.classList.remove("drop-target");
        const card = document.getElementById(event.dataTransfer.getData("text/plain"));
        if (!card || !card.dataset.moveUrl) return;
        // The hour comes from the row, the minutes stay as they were.
        const values = {
          date: cell.dataset.dropDate,
          start_time: `${cell.dataset.dropHour.padStart(2, "0")}:${card.dataset.minute || "00"}`,
          next: window.location.pathname + window.location.search,
        };
        if (cell.dataset.dropPractitioner) values.practitioner = cell.dataset.dropPractitioner;
        say("Moving…");
        window.htmx.ajax("POST", card.dataset.moveUrl, {
          target: "#calendar-status",
          swap: "innerHTML",
          values,
          headers: { "X-CSRFToken": grid.dataset.csrf },
        });
      });
    });
  }

  // The booking form's free times are reloaded when treatment, practitioner or date
  // change: keep the time already chosen if it is still free.
  function keepChosenSlot() {
    let chosen = "";
    document.body.addEventListener("htmx:beforeSwap", (event) => {
      if (event.detail.target.id !== "free-slots") return;
      const checked = event.detail.target.querySelector("input[name=slot]:checked");
      chosen = checked ? checked.value : "";
    });
    document.body.addEventListener("htmx:afterSwap", (event) => {
      if (event.detail.target.id !== "free-slots" || !chosen) return;
      event.detail.target.querySelectorAll("input[name=slot]").forEach((input) => {
        if (input.value === chosen) input.checked = true;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const grid = document.querySelector("table.calendar[data-csrf]");
    if (grid && window.htmx) enhance(grid);
    if (document.getElementById("free-slots")) keepChosenSlot();
  });
})();
