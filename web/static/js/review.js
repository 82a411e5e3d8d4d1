// Transcript review: change a label (PATCH /api/turns/{id}) and comment on a turn
// (POST /api/turns/{id}/comments), through api.js so the CSRF header is sent. The recomputed
// overall and breakdown come back with the override. Text goes in with textContent only.
import { api } from "./api.js";

const config = JSON.parse(document.getElementById("review-config").textContent);
const text = config.text;
const overall = document.getElementById("overall-score");
const scoreNote = document.getElementById("score-note");

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));
}

function chipName(label, move) {
  let name = config.labels[label] ?? label;
  if (label === "other" && move) name += ` · ${config.moves[move] ?? move}`;
  return name;
}

function showScore(card) {
  if (!card) return;
  const before = overall?.textContent;
  if (overall && card.overall !== undefined) overall.textContent = String(card.overall);
  for (const component of card.components ?? []) {
    const meter = document.querySelector(`meter[data-component="${CSS.escape(component.component)}"]`);
    if (meter) meter.value = component.points;
    const points = document.querySelector(`[data-points="${CSS.escape(component.component)}"]`);
    if (points) points.textContent = String(component.points);
  }
  if (scoreNote) scoreNote.textContent = fill(text.score_now, { before, after: card.overall });
}

for (const form of document.querySelectorAll("form.relabel")) {
  const labelSelect = form.querySelector("select[name=label]");
  const moveRow = form.querySelector(".move-row");
  const status = form.querySelector("[data-role=status]");
  const sync = () => { moveRow.hidden = labelSelect.value !== "other"; };
  labelSelect.addEventListener("change", sync);
  sync();

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const turn = form.closest("[data-turn-id]");
    const label = labelSelect.value;
    const move = label === "other" ? form.querySelector("select[name=move]").value : null;
    status.textContent = text.saving;
    try {
      const result = await api("PATCH", `/api/turns/${turn.dataset.turnId}`, { label, move });
      const saved = result.turn?.label ?? { label, move };
      const chip = turn.querySelector(".chip");
      chip.className = `chip l-${saved.label}`;
      chip.textContent = chipName(saved.label, saved.move);
      const note = turn.querySelector(".corrected");
      note.hidden = false;
      note.textContent = fill(text.corrected, {
        trainer: config.me,
        original: config.labels[turn.dataset.originalLabel] ?? turn.dataset.originalLabel,
      });
      showScore(result.scorecard);
      status.textContent = text.saved;
    } catch (error) {
      status.textContent = `${text.failed} ${error.text}`;
    }
  });
}

for (const form of document.querySelectorAll("form.comment")) {
  const status = form.querySelector("[data-role=status]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const turn = form.closest("[data-turn-id]");
    const field = form.querySelector("textarea");
    const body = field.value.trim();
    if (!body) return;
    status.textContent = text.saving;
    try {
      const made = await api("POST", `/api/turns/${turn.dataset.turnId}/comments`, { text: body });
      const item = document.createElement("li");
      const author = document.createElement("strong");
      author.textContent = made.author_name;
      const words = document.createElement("span");
      words.textContent = ` ${made.text}`;
      words.dataset.userText = "";
      item.append(author, words);
      turn.querySelector(".comments").append(item);
      field.value = "";
      status.textContent = text.comment_saved;
    } catch (error) {
      status.textContent = `${text.failed} ${error.text}`;
    }
  });
}
