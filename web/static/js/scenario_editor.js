// Scenario authoring: a YAML file is read into the textarea (FileReader, no upload of its
// own); Save posts the text to /api/scenarios through api.js (CSRF header). Validation
// problems ("field.path: message") are listed beside the editor, each with its field path,
// and the textarea is marked aria-invalid. "Preview" starts a coach call on the saved
// scenario. Text is only ever set with textContent.
import { api } from "./api.js";

const config = JSON.parse(document.getElementById("editor-config").textContent);
const text = config.text;
const form = document.getElementById("scenario-form");
const area = document.getElementById("scenario-yaml");
const file = document.getElementById("scenario-file");
const status = document.getElementById("scenario-status");
const box = document.getElementById("scenario-problems");
const list = box.querySelector(".problem-list");
const empty = box.querySelector("[data-role=empty]");
const preview = document.getElementById("preview-scenario");
const save = document.getElementById("save-scenario");

// "problems.1.answer.zh: field required" → path "problems.1.answer.zh". A leading source
// name ("scenario: problems.1…", "bank.yaml: …") is dropped when a field path follows it.
function split(problem) {
  let parts = problem.split(": ");
  if (parts.length > 2 && !/\s/.test(parts[0]) && /^([\w.-]+|\(top level\))$/.test(parts[1])) {
    parts = parts.slice(1);
  }
  if (parts.length < 2) return { path: "", message: problem };
  return { path: parts[0], message: parts.slice(1).join(": ") };
}

function showProblems(problems) {
  list.replaceChildren();
  for (const problem of problems) {
    const { path, message } = split(problem);
    const item = document.createElement("li");
    if (path) {
      const code = document.createElement("code");
      code.className = "field-path";
      code.textContent = path;
      item.append(code, document.createTextNode(" "));
    }
    const words = document.createElement("span");
    words.textContent = message;
    item.append(words);
    list.append(item);
  }
  list.hidden = problems.length === 0;
  empty.hidden = problems.length !== 0;
  if (problems.length) area.setAttribute("aria-invalid", "true");
  else area.removeAttribute("aria-invalid");
}

file.addEventListener("change", () => {
  const chosen = file.files?.[0];
  if (!chosen) return;
  const reader = new FileReader();
  reader.addEventListener("load", () => {
    area.value = String(reader.result ?? "");
    showProblems([]);
    status.textContent = "";
  });
  reader.addEventListener("error", () => { status.textContent = text.read_failed; });
  reader.readAsText(chosen, "utf-8");
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  save.disabled = true;
  status.textContent = text.saving;
  try {
    const saved = await api("POST", "/api/scenarios", { yaml: area.value });
    showProblems([]);
    status.textContent = `${text.saved} ${saved.id}`;
    preview.dataset.scenario = saved.id;
    preview.disabled = false;
    history.replaceState(null, "", `/scenarios/${encodeURIComponent(saved.id)}/edit`);
  } catch (error) {
    const problems = error.problems.length ? error.problems : [error.message];
    showProblems(problems);
    status.textContent = error.code === "scenario_invalid" || error.code === "invalid_input"
      ? text.invalid
      : `${text.failed} ${error.text}`;
    box.focus();
  } finally {
    save.disabled = false;
  }
});

preview.addEventListener("click", async () => {
  preview.disabled = true;
  status.textContent = text.starting;
  try {
    const session = await api("POST", "/api/sessions", {
      scenario_id: preview.dataset.scenario,
      style: "analytical",
      language: config.language,
      mode: "coach",
      plan: [],
    });
    location.assign(`/practice/${session.id}`);
  } catch (error) {
    preview.disabled = false;
    status.textContent = `${text.failed} ${error.text}`;
  }
});
