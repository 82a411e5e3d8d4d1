// A trainee replies to their coach's comment on a turn of the scorecard:
// POST /api/turns/{id}/replies through api.js (CSRF header). Text goes in with textContent.
import { api } from "./api.js";

const strings = JSON.parse(document.getElementById("feedback-strings").textContent);

for (const form of document.querySelectorAll("form.reply")) {
  const status = form.querySelector("[data-role=status]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const box = form.closest("[data-turn-id]");
    const field = form.querySelector("textarea");
    const text = field.value.trim();
    if (!text) return;
    status.textContent = strings.saving;
    try {
      const made = await api("POST", `/api/turns/${box.dataset.turnId}/replies`, { text });
      let list = box.querySelector("ul.comments");
      const item = document.createElement("li");
      item.className = "mine";
      const author = document.createElement("strong");
      author.textContent = made.author_name;
      const words = document.createElement("span");
      words.className = "comment-text";
      words.textContent = ` ${made.text}`;
      item.append(author, words);
      list.append(item);
      field.value = "";
      status.textContent = strings.sent;
    } catch (error) {
      status.textContent = `${strings.failed} ${error.message}`;
    }
  });
}
