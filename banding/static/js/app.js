// SiBanding: small behaviours on top of plain forms (every page works without this file).
"use strict";

document.addEventListener("submit", (event) => {
  const form = event.target;
  // htmx submits its own forms (and has already prevented the browser's submission).
  if (event.defaultPrevented || form.matches("[hx-get], [hx-post]")) return;
  // Ask before irreversible actions marked with data-confirm.
  const question = form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  // One click, one submission: a second click would only be refused as the wrong state.
  // A disabled button is left out of what the form sends, so the name and value of the one
  // pressed (e.g. aksi=finalkan, decision=approve) travel in a hidden field instead.
  const pressed = event.submitter;
  form.querySelectorAll("input[data-pressed]").forEach((input) => input.remove());
  if (pressed && pressed.name) {
    const carried = document.createElement("input");
    carried.type = "hidden";
    carried.name = pressed.name;
    carried.value = pressed.value;
    carried.dataset.pressed = "";
    form.append(carried);
  }
  for (const button of form.querySelectorAll("button[type=submit]")) {
    button.disabled = true;
  }
});

// Copy buttons (data-copy="#input-id") appear only when the script runs; once copied they say
// their data-copied text (translated in the template).
for (const button of document.querySelectorAll("[data-copy]")) {
  button.classList.remove("d-none");
  button.addEventListener("click", async () => {
    const input = document.querySelector(button.dataset.copy);
    if (!input) return;
    try {
      await navigator.clipboard.writeText(input.value);
      button.textContent = button.dataset.copied || button.textContent;
    } catch {
      input.select();
    }
  });
}

// Coming back with the browser's back button restores the page as it was left: enable again
// what a submission disabled (not a button the server disabled, data-blocked, until a step's
// outputs are issued).
window.addEventListener("pageshow", () => {
  for (const button of document.querySelectorAll(
    "button[type=submit][disabled]:not([data-blocked])",
  )) {
    button.disabled = false;
  }
});

// A search box above a long list (data-filter-for="<select id>"): hides the options whose
// text does not contain what is typed. Delegated, so lists swapped in by htmx work too.
document.addEventListener("input", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.dataset.filterFor) return;
  const list = document.getElementById(box.dataset.filterFor);
  if (!list) return;
  const wanted = box.value.trim().toLowerCase();
  for (const option of list.querySelectorAll("option")) {
    option.hidden = wanted !== "" && !option.textContent.toLowerCase().includes(wanted);
  }
});
