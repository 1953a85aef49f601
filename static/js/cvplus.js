// CVPlus's own behaviour, loaded from a file: the Content-Security-Policy allows no inline scripts or handlers.
"use strict";

// A <select data-submit-on-change> submits its form when a choice is made (the language switcher); without
// JavaScript the form shows its own button.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-submit-on-change") && field.form) {
    field.form.submit();
  }
});

// A <button data-copy="ID" hidden> copies the value of the field with that id (a new API token or signing secret)
// and then reads its data-copied label. Without JavaScript or a clipboard it stays hidden: the read-only field
// beside it can be selected and copied by hand.
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) return;
  document.querySelectorAll("button[data-copy]").forEach((button) => { button.hidden = false; });
});
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("button[data-copy]") : null;
  const field = button && document.getElementById(button.dataset.copy);
  if (!field) return;
  navigator.clipboard.writeText(field.value).then(() => {
    button.textContent = button.dataset.copied || button.textContent;
  });
});
// A read-only field marked data-select-on-focus selects all of its text when focused, ready to copy.
document.addEventListener("focusin", (event) => {
  const field = event.target;
  if (field instanceof HTMLInputElement && field.hasAttribute("data-select-on-focus")) field.select();
});

// A time zone <select data-detect-time-zone> (the interview form, for a user with no zone known yet) starts on the
// browser's own zone when the list has it; without JavaScript it keeps the server's default.
document.addEventListener("DOMContentLoaded", () => {
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    return;
  }
  document.querySelectorAll("select[data-detect-time-zone]").forEach((select) => {
    if (Array.from(select.options).some((option) => option.value === zone)) select.value = zone;
  });
});
