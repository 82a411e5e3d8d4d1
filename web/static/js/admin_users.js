// The admin's Users page: create an account, change a role, deactivate or reactivate, and
// make a one-time reset link (shown once, to hand over privately). Through api.js (CSRF).
import { api } from "./api.js";

const strings = JSON.parse(document.getElementById("users-strings").textContent);
const say = (error) => strings.errors[error.code] ?? error.message;
const form = document.getElementById("create-user");
const status = document.getElementById("create-user-status");

form?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  status.textContent = strings.saving;
  try {
    await api("POST", "/api/users", {
      username: data.get("username"),
      password: data.get("password"),
      role: data.get("role"),
    });
    location.reload();
  } catch (error) {
    status.textContent = say(error);
  }
});

for (const row of document.querySelectorAll("#user-rows tr[data-user-id]")) {
  const id = row.dataset.userId;
  const note = row.querySelector("[data-role=status]");
  row.querySelector("form.set-role")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    note.textContent = strings.saving;
    try {
      await api("PUT", `/api/users/${id}/role`, { role: event.target.role.value });
      note.textContent = strings.saved;
    } catch (error) {
      note.textContent = say(error);
    }
  });
  row.querySelector("button.set-active")?.addEventListener("click", async (event) => {
    const active = event.target.dataset.active === "true";
    if (!active && !confirm(strings.confirm_deactivate)) return;
    note.textContent = strings.saving;
    try {
      await api("PUT", `/api/users/${id}/active`, { active });
      location.reload();
    } catch (error) {
      note.textContent = say(error);
    }
  });
  row.querySelector("button.make-reset")?.addEventListener("click", async () => {
    note.textContent = strings.saving;
    try {
      const made = await api("POST", `/api/users/${id}/password-reset`);
      const box = row.querySelector(".reset-link");
      box.hidden = false;
      box.querySelector("input").value = made.link;
      note.textContent = strings.reset_made;
    } catch (error) {
      note.textContent = say(error);
    }
  });
  row.querySelector("button.copy-reset")?.addEventListener("click", async (event) => {
    const input = document.getElementById(event.target.dataset.target);
    try {
      await navigator.clipboard.writeText(input.value);
      note.textContent = strings.copied;
    } catch {
      input.focus();
      input.select();
      note.textContent = strings.copy_by_hand;
    }
  });
}
