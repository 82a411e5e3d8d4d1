// Discarding an unfinished call from the home page: a confirmation dialog, then
// DELETE /api/sessions/{id} through api.js; the row goes away and the outcome is announced.
import { api } from "./api.js";

const dialog = document.getElementById("discard-dialog");
const which = document.getElementById("discard-which");
const status = document.getElementById("discard-status");
const words = JSON.parse(document.getElementById("discard-strings").textContent);
let chosen = null;

for (const button of document.querySelectorAll("button.discard-call")) {
  button.addEventListener("click", () => {
    chosen = button;
    which.textContent = button.dataset.title;
    dialog.showModal();
  });
}

dialog?.addEventListener("close", async () => {
  const button = chosen;
  chosen = null;
  if (dialog.returnValue !== "discard" || !button) return;
  button.disabled = true;
  try {
    await api("DELETE", `/api/sessions/${button.dataset.session}`);
    const list = button.closest("ul");
    button.closest("li").remove();
    if (list && !list.children.length) list.closest("section")?.remove();
    status.textContent = words.discarded;
    document.getElementById("start-title")?.focus?.();
  } catch (error) {
    button.disabled = false;
    status.textContent = error.text;
    which.textContent = error.text;
  }
});
