// The drill picker on the home page: the problem list follows the chosen scenario; the form
// POSTs /api/drills through api.js (CSRF header) and opens the chat, where the buyer hands
// the chosen problem over.
import { api } from "./api.js";

const form = document.getElementById("drill-form");
const strings = JSON.parse(document.getElementById("start-strings")?.textContent ?? "{}");

if (form) {
  const scenario = form.querySelector("select[name=scenario_id]");
  const problem = form.querySelector("select[name=problem_id]");
  const status = form.querySelector("[data-role=status]");
  const sync = () => {
    let first = null;
    for (const option of problem.options) {
      const mine = option.dataset.scenario === scenario.value;
      option.hidden = !mine;
      option.disabled = !mine;
      if (mine && !first) first = option;
    }
    if (problem.selectedOptions[0]?.disabled !== false && first) problem.value = first.value;
  };
  scenario.addEventListener("change", sync);
  sync();
  form.querySelector("button[type=submit]").disabled = false; // rendered disabled until bound

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    status.textContent = strings.starting ?? "";
    try {
      const session = await api("POST", "/api/drills", {
        scenario_id: data.get("scenario_id"),
        kind: data.get("kind"),
        style: data.get("style"),
        language: data.get("language"),
        problem_id: data.get("problem_id") || null,
      });
      location.assign(`/practice/${session.id}`);
    } catch (error) {
      button.disabled = false;
      status.textContent = `${strings.failed ?? ""} ${error.text}`.trim();
    }
  });
}
