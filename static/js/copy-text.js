// "Kopieer tekst" on a social post's admin page: without JavaScript the text stays in a
// read-only field to select by hand, so the button only appears when copying can work. Its
// messages come translated from the page.
// Admin media load in the head, before the page exists.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-copy-from]").forEach((button) => {
    const source = document.getElementById(button.dataset.copyFrom);
    const status = button.parentElement.querySelector("[data-copy-status]");
    if (!source || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.value);
        if (status) status.textContent = button.dataset.copied;
      } catch {
        source.select();
        if (status) status.textContent = button.dataset.copyFailed;
      }
    });
  });
});
