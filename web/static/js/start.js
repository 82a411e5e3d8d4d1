// Starting a call: forms with class js-start-session (home, "practise again") POST
// /api/sessions through api.js (CSRF header) and open the chat page.
import { api } from "./api.js";

const stringsElement = document.getElementById("start-strings");
const strings = stringsElement ? JSON.parse(stringsElement.textContent) : {};

// The start buttons are rendered disabled and enabled here, once a click can be handled:
// before that a click would submit the form as a plain GET of the page.

// Buttons that start a call from another one (a targeted retry, a drill): their endpoint and
// JSON body are in data attributes.
for (const button of document.querySelectorAll("button[data-start-url]")) {
  button.disabled = false;
  button.addEventListener("click", async () => {
    const status = button.closest("form, li")?.querySelector("[data-role=status]");
    button.disabled = true;
    if (status) status.textContent = strings.starting ?? "";
    try {
      const session = await api("POST", button.dataset.startUrl, JSON.parse(button.dataset.body));
      location.assign(`/practice/${session.id}`);
    } catch (error) {
      button.disabled = false;
      if (status) status.textContent = `${strings.failed ?? ""} ${error.text}`.trim();
    }
  });
}

for (const form of document.querySelectorAll("form.js-start-session")) {
  const status = form.querySelector("[data-role=status]");
  const style = form.querySelector("select[name=style]");
  const styleHelp = document.getElementById("style-help");
  style?.addEventListener("change", () => {
    if (styleHelp) styleHelp.textContent = style.selectedOptions[0]?.dataset.description ?? "";
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const plan = String(data.get("plan") ?? "")
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean)
      .slice(0, 30);
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    if (status) status.textContent = strings.starting ?? "";
    try {
      const session = await api("POST", "/api/sessions", {
        scenario_id: data.get("scenario_id"),
        style: data.get("style"),
        language: data.get("language"),
        mode: data.get("mode"),
        plan,
      });
      location.assign(`/practice/${session.id}`);
    } catch (error) {
      button.disabled = false;
      if (status) status.textContent = `${strings.failed ?? ""} ${error.text}`.trim();
    }
  });
  form.querySelector("button[type=submit]").disabled = false;
}
