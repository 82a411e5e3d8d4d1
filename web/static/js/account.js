// The user's own password change: PUT /api/me/password through api.js (CSRF header). Other
// browser sessions end on the server; this one gets a new cookie and CSRF token.
import { api } from "./api.js";

const strings = JSON.parse(document.getElementById("account-strings").textContent);
const form = document.getElementById("change-password");
const status = form.querySelector("[data-role=status]");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  if (data.get("new") !== data.get("repeat")) {
    status.textContent = strings.mismatch;
    return;
  }
  status.textContent = strings.saving;
  try {
    const signed = await api("PUT", "/api/me/password", { current: data.get("current"), new: data.get("new") });
    document.querySelector('meta[name="csrf-token"]').content = signed.csrf_token;
    form.reset();
    status.textContent = strings.saved;
  } catch (error) {
    status.textContent = strings.errors[error.code] ?? error.message;
  }
});
