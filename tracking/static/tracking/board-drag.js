// Drag a card onto another column to move it there. The drop fills in and submits the card's own "Move" form (the
// same POST, CSRF token included, that the form makes without JavaScript), so htmx swaps the board in place and the
// server checks the move as it checks any other. Without JavaScript, on touch screens and from the keyboard, the
// form under each card's "Move" does the same. The Content-Security-Policy allows no inline script: this file is all.
"use strict";

(() => {
  let dragged = null;

  const moveForm = (card) => card.querySelector("details.card-move form");
  const allowedStages = (card) => {
    const form = moveForm(card);
    const select = form && form.querySelector("select[name=to_stage]");
    return select ? Array.from(select.options, (option) => option.value) : [];
  };
  const columnOf = (target) => (target instanceof Element ? target.closest(".column[data-stage]") : null);
  const say = (text) => {
    const status = document.querySelector("#board .board-status");
    if (status) status.textContent = text;
  };
  const clearMarks = () => {
    document.querySelectorAll(".column.drop-ok, .column.drop-over").forEach((column) => {
      column.classList.remove("drop-ok", "drop-over");
    });
  };

  document.addEventListener("dragstart", (event) => {
    const card = event.target instanceof Element ? event.target.closest(".job-card[draggable=true]") : null;
    if (!card || !moveForm(card)) return;
    dragged = card;
    card.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
    const allowed = allowedStages(card);
    document.querySelectorAll("#board .column[data-stage]").forEach((column) => {
      if (allowed.includes(column.dataset.stage)) column.classList.add("drop-ok");
    });
  });

  document.addEventListener("dragover", (event) => {
    const column = columnOf(event.target);
    if (!dragged || !column || column.dataset.stage === dragged.dataset.stage) return;
    event.preventDefault(); // allows the drop, where a refused move is explained
    if (column.classList.contains("drop-ok")) column.classList.add("drop-over");
  });

  document.addEventListener("dragleave", (event) => {
    const column = columnOf(event.target);
    if (column && !column.contains(event.relatedTarget)) column.classList.remove("drop-over");
  });

  document.addEventListener("drop", (event) => {
    const column = columnOf(event.target);
    const card = dragged;
    if (!card || !column) return;
    event.preventDefault();
    const stage = column.dataset.stage;
    const form = moveForm(card);
    if (!allowedStages(card).includes(stage)) {
      const refused = document.getElementById("board-drag-refused");
      if (refused) say(refused.textContent);
      return;
    }
    form.querySelector("select[name=to_stage]").value = stage;
    const day = form.querySelector("input[name=on]");
    if (day) day.value = "";
    form.requestSubmit();
  });

  document.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("is-dragging");
    dragged = null;
    clearMarks();
  });
})();
