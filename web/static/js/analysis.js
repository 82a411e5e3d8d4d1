// Real-call analysis: the transcript (pasted or read from a file) goes to /api/analyses
// through api.js; the labelled turns and the scorecard come back as JSON and are drawn here
// with the feedback catalogue's words in the page language (sent in #analysis-config).
// Everything is set with textContent: transcripts are never HTML.
import { api } from "./api.js";

const config = JSON.parse(document.getElementById("analysis-config").textContent);
const text = config.text;
const form = document.getElementById("analysis-form");
const area = document.getElementById("transcript");
const file = document.getElementById("transcript-file");
const button = document.getElementById("analyse");
const statusText = document.querySelector("#analysis-status [data-role=text]");
const spinner = document.querySelector("#analysis-status .spinner");
const errorBox = document.getElementById("analysis-error");
const result = document.getElementById("analysis-result");

function el(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content !== undefined) node.textContent = content;
  return node;
}

// Turn numbers count the seller's own moves, as MoveNumbers does on the server: the n-th
// seller turn is turn n (a real call may have several in a row).
let moves = [];
function moveNumber(seq) {
  if (!moves.length) return Math.max(Math.floor((seq + 1) / 2), 1);
  return Math.max(moves.filter((m) => m <= seq).length, 1);
}

function turnNumbers(seqs) {
  const numbers = new Set((seqs ?? []).filter(Number.isInteger).map(moveNumber));
  return [...numbers].sort((a, b) => a - b).join(config.turn_separator);
}

// The feedback catalogue's placeholders, as app/domain/feedback.py fills them: a value that
// is a catalogue key (term.…) is shown in the reader's language.
function say(code, params = {}, seqs = []) {
  const template = config.messages[code];
  if (template === undefined) return code;
  const values = { turns: turnNumbers(seqs), ...params };
  return template.replace(/\{(\w+)\}/g, (_, key) => {
    const value = values[key];
    if (typeof value === "string" && value.startsWith("term.")) {
      return config.messages[value] ?? value.split(".").pop();
    }
    return value === undefined || value === null ? "" : String(value);
  });
}

function chip(label) {
  return el("span", `chip l-${label}`, config.labels[label] ?? label);
}

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = false;
  area.setAttribute("aria-invalid", "true");
}

function render(data) {
  const card = data.scorecard ?? {};
  moves = [...(card.numbers?.seqs ?? [])].sort((a, b) => a - b);
  document.getElementById("analysis-overall").textContent = String(data.overall ?? "–");
  document.getElementById("analysis-language").textContent = text[`language_${data.language}`] ?? "";
  const components = document.getElementById("analysis-components");
  components.replaceChildren();
  for (const c of card.components ?? []) {
    const row = el("tr", c.applicable === false ? "na" : "");
    row.dataset.component = c.component;
    const name = el("th", "", say(`component.${c.component}`));
    name.scope = "row";
    const points = c.applicable === false
      ? el("td", "muted", text.not_applicable)
      : el("td", "num", `${Math.round(c.points * 10) / 10} / ${c.max_points}`);
    row.append(name, points);
    components.append(row);
  }
  const findings = document.getElementById("analysis-findings");
  findings.replaceChildren();
  for (const f of card.findings ?? []) {
    findings.append(el("li", f.points < 0 ? "cost" : "", say(f.code, f.params, f.seqs)));
  }
  const turns = document.getElementById("analysis-turns");
  turns.replaceChildren();
  for (const turn of data.turns ?? []) {
    const label = turn.label?.label;
    const item = el("li", `tl ${turn.role}${label ? ` l-${label}` : ""}`);
    const body = el("div", "tl-body");
    const who = turn.speaker || (turn.role === "trainee" ? text.seller : text.buyer);
    body.append(el("span", "who", who));
    if (label) body.append(chip(label));
    const said = el("p", "text", turn.text);
    said.lang = data.language; // the call's words, in the call's language
    body.append(said);
    item.append(el("span", "tl-num", turn.role === "trainee" ? String(moveNumber(turn.seq)) : ""), body);
    turns.append(item);
  }
  result.hidden = false;
  const link = document.getElementById("analysis-saved");
  if (data.id && link) {
    link.href = `/analyses/${data.id}`;
    link.hidden = false;
  }
}

if (config.saved) render(config.saved);

file?.addEventListener("change", () => {
  const chosen = file.files?.[0];
  if (!chosen) return;
  const reader = new FileReader();
  reader.addEventListener("load", () => {
    area.value = String(reader.result ?? "");
    if (/\.csv$/i.test(chosen.name)) form.querySelector("input[name=format][value=csv]").checked = true;
  });
  reader.addEventListener("error", () => showError(text.read_failed));
  reader.readAsText(chosen, "utf-8");
});

form?.addEventListener("submit", async (event) => {
  event.preventDefault();
  errorBox.hidden = true;
  area.removeAttribute("aria-invalid");
  const data = new FormData(form);
  const transcript = String(data.get("text") ?? "");
  if (!transcript.trim()) {
    showError(text.empty);
    area.focus();
    return;
  }
  const body = { text: transcript, format: data.get("format") };
  const seller = String(data.get("seller") ?? "").trim();
  if (seller) body.seller = seller;
  const name = String(data.get("name") ?? "").trim();
  if (name) body.name = name;
  if (data.get("language")) body.language = data.get("language");
  button.disabled = true;
  form.setAttribute("aria-busy", "true");
  spinner.hidden = false;
  statusText.textContent = text.working;
  try {
    const saved = await api("POST", "/api/analyses", body);
    render(saved);
    statusText.textContent = text.done;
    history.replaceState(null, "", `/analyses/${saved.id}`);
    document.getElementById("result-score-title").focus?.();
  } catch (error) {
    statusText.textContent = "";
    showError(`${text.failed} ${error.text}`);
  } finally {
    button.disabled = false;
    form.removeAttribute("aria-busy");
    spinner.hidden = true;
  }
});
