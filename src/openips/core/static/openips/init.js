// Starts the NHS.UK frontend components. Pages work without it; it only enhances them.
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

initAll();

// A print button is shown only where it can work (the browser's own print menu always does).
for (const button of document.querySelectorAll('[data-module="app-print"]')) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
