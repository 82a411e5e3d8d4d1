// Scenario authoring: one scenario, two views. The form (scenario_form.js) is for trainers
// who do not write YAML; the YAML view is the file itself (upload, paste, edit). Switching
// view converts with the vendored js-yaml. Save posts the YAML to /api/scenarios, which
// validates every field; each problem it names is shown beside its field on the form and,
// in the YAML view, with its line number. A YAML syntax error is caught here, with its line.
import { api } from "./api.js";
import { ScenarioForm } from "./scenario_form.js";
import { EVENT_ID, dump, load, parseEvents } from "../vendor/js-yaml-5.5.0.mjs";

const config = JSON.parse(document.getElementById("editor-config").textContent);
const text = config.text;
const formEl = document.getElementById("scenario-form");
const area = document.getElementById("scenario-yaml");
const file = document.getElementById("scenario-file");
const status = document.getElementById("scenario-status");
const box = document.getElementById("scenario-problems");
const list = box.querySelector(".problem-list");
const empty = box.querySelector("[data-role=empty]");
const preview = document.getElementById("preview-scenario");
const save = document.getElementById("save-scenario");
const tabs = { form: document.getElementById("tab-form"), yaml: document.getElementById("tab-yaml") };
const panels = { form: document.getElementById("panel-form"), yaml: document.getElementById("panel-yaml") };

let view = "form";
let formDirty = false; // the form changed since the YAML text was written from it
const form = new ScenarioForm(document.getElementById("form-fields"), text, () => {
  formDirty = true;
});

// Localised words for the validator's messages (pydantic's English, by pattern); anything
// unknown is shown as the server wrote it, marked as English.
const MESSAGES = [
  [/^field required/i, () => text.err_required],
  [/^list should have at least (\d+) items?/i, (m) => text.err_min_items.replace("{n}", m[1])],
  [/^string should have at least 1 character/i, () => text.err_empty],
  [/^extra inputs are not permitted/i, () => text.err_extra],
  [/is not a lowercase kebab-case id/i, () => text.err_kebab],
  [/^duplicate id/i, () => text.err_duplicate],
  [/^input should be 'pitch', 'price' or 'close'/i, () => text.err_trigger],
  [/^input should be a valid (string|list|dictionary)/i, () => text.err_type],
  [/^expected a mapping/i, () => text.err_type],
  [/is a shipped scenario/i, () => text.err_shipped],
];

function localise(message) {
  for (const [pattern, say] of MESSAGES) {
    const match = message.match(pattern);
    if (match) return { words: say(match), english: false };
  }
  return { words: message, english: true };
}

// "scenario: problems.1.answer.zh: field required" → { path, message }.
function split(problem) {
  let parts = problem.split(": ");
  if (parts.length > 2 && !/\s/.test(parts[0]) && /^([\w.-]+|\(top level\))$/.test(parts[1])) {
    parts = parts.slice(1);
  }
  if (parts.length < 2 || /\s/.test(parts[0])) return { path: "", message: problem };
  return { path: parts[0] === "(top level)" ? "" : parts[0], message: parts.slice(1).join(": ") };
}

// Line (1-based) of every node of the YAML text by its dotted path, from the parser's events.
function lineIndex(source) {
  const starts = [0];
  for (let i = 0; i < source.length; i += 1) if (source[i] === "\n") starts.push(i + 1);
  const lineOf = (pos) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= pos) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
  const lines = new Map();
  const stack = [];
  const slot = (pos) => {
    const top = stack.at(-1);
    if (!top) return "";
    let path;
    if (top.kind === "seq") {
      path = top.path ? `${top.path}.${top.index}` : String(top.index);
      top.index += 1;
      lines.set(path, lineOf(pos));
    } else {
      path = top.path ? `${top.path}.${top.key}` : top.key;
      lines.set(path, lineOf(top.keyAt));
      top.key = null;
    }
    return path;
  };
  for (const event of parseEvents(source)) {
    if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) {
      const path = slot(event.start);
      stack.push({ kind: event.type === EVENT_ID.MAPPING ? "map" : "seq", path, index: 0, key: null });
    } else if (event.type === EVENT_ID.SCALAR || event.type === EVENT_ID.ALIAS) {
      const top = stack.at(-1);
      if (top?.kind === "map" && top.key === null) {
        top.key = source.slice(event.valueStart, event.valueEnd).replace(/^["']|["']$/g, "");
        top.keyAt = event.valueStart;
      } else {
        slot(event.valueStart ?? event.start ?? 0);
      }
    } else if (event.type === EVENT_ID.POP) {
      stack.pop();
    }
  }
  return (path) => {
    for (let at = path; at; at = at.includes(".") ? at.slice(0, at.lastIndexOf(".")) : "") {
      if (lines.has(at)) return lines.get(at);
    }
    return 1;
  };
}

function goToLine(line) {
  showView("yaml");
  const lines = area.value.split("\n");
  const start = lines.slice(0, line - 1).reduce((sum, l) => sum + l.length + 1, 0);
  area.focus();
  area.setSelectionRange(start, start + (lines[line - 1] ?? "").length);
  const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 18;
  area.scrollTop = Math.max(0, (line - 3) * lineHeight);
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}

// A recognition warning, already in the page's language, shown under the item's id.
function warningText(warning) {
  const template = warning.code === "few_words" ? text.warn_few_words : text.warn_own_question;
  const sentence = fill(template, { count: warning.words, language: warning.language });
  return { path: warning.item_id, message: sentence, warning: true };
}

function showProblems(problems, { warnings = false } = {}) {
  list.replaceChildren();
  list.classList.toggle("warnings", warnings);
  form.clearErrors();
  const findLine = problems.length ? safeLineIndex(area.value) : () => 1;
  for (const problem of problems) {
    const { path, message } = problem.path !== undefined ? problem : split(problem);
    const { words, english } = problem.warning ? { words: message, english: false } : localise(message);
    const item = document.createElement("li");
    if (!problem.warning) {
      const line = problem.line ?? findLine(path);
      const where = document.createElement("button");
      where.type = "button";
      where.className = "link line-link";
      where.textContent = text.line.replace("{line}", line);
      where.addEventListener("click", () => goToLine(line));
      item.append(where, document.createTextNode(" "));
    }
    if (path) {
      const code = document.createElement("code");
      code.className = "field-path";
      code.textContent = path;
      item.append(code, document.createTextNode(" "));
    }
    const said = document.createElement("span");
    said.textContent = words;
    if (english) said.lang = "en";
    item.append(said);
    const target = problem.warning ? null : form.showError(path, words);
    if (target) {
      const jump = document.createElement("button");
      jump.type = "button";
      jump.className = "link";
      jump.textContent = text.go_to_field;
      jump.addEventListener("click", () => {
        showView("form");
        target.focus();
      });
      item.append(document.createTextNode(" "), jump);
    }
    list.append(item);
  }
  list.hidden = problems.length === 0;
  empty.hidden = problems.length !== 0;
  if (problems.length && !warnings) area.setAttribute("aria-invalid", "true");
  else area.removeAttribute("aria-invalid");
}

function safeLineIndex(source) {
  try {
    return lineIndex(source);
  } catch {
    return () => 1;
  }
}

// The YAML text parsed, or a problem with the line and column of the syntax error.
function parse(source) {
  if (!source.trim()) return { model: undefined }; // nothing written yet
  try {
    return { model: load(source) ?? {} };
  } catch (error) {
    const line = (error.mark?.line ?? 0) + 1;
    const column = (error.mark?.column ?? 0) + 1;
    const reason = String(error.reason ?? error.message).split("\n")[0];
    const message = text.yaml_error.replace("{column}", column).replace("{reason}", reason);
    return { problem: { path: "", message, line } };
  }
}

function yamlFromForm() {
  if (formDirty || !area.value.trim()) {
    area.value = dump(form.model, { lineWidth: 100 });
    formDirty = false;
  }
}

function showView(next) {
  if (next === view) return true;
  if (next === "yaml") {
    yamlFromForm();
  } else {
    const parsed = parse(area.value);
    if (parsed.problem) {
      showProblems([parsed.problem]);
      status.textContent = text.invalid;
      return false; // stay on the YAML until it reads
    }
    form.show(parsed.model);
  }
  view = next;
  for (const name of ["form", "yaml"]) {
    tabs[name].setAttribute("aria-selected", String(name === next));
    tabs[name].tabIndex = name === next ? 0 : -1;
    panels[name].hidden = name !== next;
  }
  return true;
}

for (const [name, tab] of Object.entries(tabs)) {
  tab.addEventListener("click", () => showView(name));
  tab.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    const other = name === "form" ? "yaml" : "form";
    if (showView(other)) tabs[other].focus();
  });
}

file.addEventListener("change", () => {
  const chosen = file.files?.[0];
  if (!chosen) return;
  const reader = new FileReader();
  reader.addEventListener("load", () => {
    area.value = String(reader.result ?? "");
    formDirty = false;
    showProblems([]);
    status.textContent = "";
  });
  reader.addEventListener("error", () => { status.textContent = text.read_failed; });
  reader.readAsText(chosen, "utf-8");
});

formEl.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (view === "form") yamlFromForm();
  const parsed = parse(area.value);
  if (parsed.problem) {
    showProblems([parsed.problem]);
    status.textContent = text.invalid;
    box.focus();
    return;
  }
  if (view === "yaml") form.show(parsed.model); // the form shows what is being saved
  save.disabled = true;
  status.textContent = text.saving;
  try {
    const saved = await api("POST", "/api/scenarios", { yaml: area.value });
    // Saved all the same; items the buyer would hardly recognise are listed as warnings.
    showProblems(saved.warnings.map(warningText), { warnings: true });
    status.textContent = saved.warnings.length
      ? fill(text.saved_warnings, { id: saved.id })
      : `${text.saved} ${saved.id}`;
    preview.dataset.scenario = saved.id;
    preview.disabled = false;
    history.replaceState(null, "", `/scenarios/${encodeURIComponent(saved.id)}/edit`);
  } catch (error) {
    const invalid = error.code === "scenario_invalid" || error.code === "invalid_input";
    showProblems(error.problems.length ? error.problems : [{ path: "", message: error.text }]);
    status.textContent = invalid ? text.invalid : `${text.failed} ${error.text}`;
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

// Start on the form, filled from the YAML the page came with (a copy, or the saved text).
const initial = parse(area.value);
if (initial.problem) {
  view = "form";
  showView("yaml");
  showProblems([initial.problem]);
} else {
  form.show(initial.model);
  formDirty = !area.value.trim();
}
