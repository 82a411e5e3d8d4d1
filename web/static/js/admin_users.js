import { api } from "./api.js";

const form = document.getElementById("create-user");
const status = document.getElementById("create-user-status");
const rows = document.getElementById("user-rows");

form?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  status.textContent = "…";
  try {
    const user = await api("POST", "/api/users", {
      username: data.get("username"),
      password: data.get("password"),
      role: data.get("role"),
    });
    const row = rows.insertRow();
    row.insertCell().textContent = user.username;
    row.insertCell().textContent = form.querySelector(`option[value="${user.role}"]`).textContent;
    status.textContent = "✓ " + user.username;
    form.reset();
  } catch (error) {
    status.textContent = error.text;
  }
});
