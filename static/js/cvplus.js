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
