// The scenarios page: an author (or an admin) disables, enables or deletes an authored
// scenario through the JSON API (api.js sends the CSRF header). A scenario calls were played
// on cannot be deleted: the server answers scenario_in_use and the page says to disable it.
// Text is only ever set with textContent.
import { api } from "./api.js";

const config = JSON.parse(document.getElementById("scenarios-config").textContent);
const text = config.text;
const status = document.getElementById("scenario-status");

async function act(button) {
  const id = button.dataset.id;
  const action = button.dataset.action;
  if (action === "delete" && !window.confirm(text.confirm_delete)) return;
  button.disabled = true;
  status.textContent = text.working;
  try {
    const path = `/api/scenarios/${encodeURIComponent(id)}`;
    if (action === "delete") await api("DELETE", path);
    else await api("PATCH", path, { enabled: action === "enable" });
    window.location.reload();
  } catch (error) {
    status.textContent = error.code === "scenario_in_use" ? text.in_use : `${text.failed} ${error.message}`;
    button.disabled = false;
  }
}

for (const button of document.querySelectorAll("button[data-action]")) {
  button.addEventListener("click", () => act(button));
}
