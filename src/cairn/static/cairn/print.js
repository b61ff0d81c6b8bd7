// A page made to be printed (a safety plan for the family): its "Print" button shows only
// when scripts run, and opens the browser's print dialogue.
document.querySelectorAll("[data-print-page]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
