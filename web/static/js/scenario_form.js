// The scenario as a form: builds fields from the scenario object (the same shape as the YAML
// file), writes each edit back into it, and finds the field for a validation path
// ("problems.1.implications.0.answer.zh"). No YAML here: scenario_editor.js converts.
// Labels come from the page (config.text); all text is set with textContent.

const LANGS = ["en", "zh"];
const LINES = (value) => (Array.isArray(value) ? value.join("\n") : "");

export function emptyScenario() {
  const both = () => ({ en: "", zh: "" });
  const lines = () => ({ en: [], zh: [] });
  const need = () => ({ id: "", title: both(), cues: lines(), answer: lines(), example_question: both() });
  const implication = () => ({ ...need(), needs: [need()] });
  return {
    id: "",
    title: both(),
    brief: both(),
    account: { company: both(), industry: both(), buyer_name: both(), buyer_role: both(), product: both() },
    opening: lines(),
    facts: [{ id: "", cues: lines(), answer: lines() }],
    problems: [{ ...need(), hint: lines(), implications: [implication()] }],
    objections: [{ id: "", trigger: "pitch", text: lines() }],
    advance: { description: both(), cues: lines(), accept: lines(), defer: lines() },
  };
}

const NEW_ITEM = {
  facts: () => ({ id: "", cues: { en: [], zh: [] }, answer: { en: [], zh: [] } }),
  problems: () => emptyScenario().problems[0],
  implications: () => emptyScenario().problems[0].implications[0],
  needs: () => emptyScenario().problems[0].implications[0].needs[0],
  objections: () => ({ id: "", trigger: "pitch", text: { en: [], zh: [] } }),
};

function get(model, path) {
  return path.split(".").reduce((node, key) => (node == null ? undefined : node[key]), model);
}

function set(model, path, value) {
  const keys = path.split(".");
  let node = model;
  for (const key of keys.slice(0, -1)) {
    if (node[key] == null || typeof node[key] !== "object") node[key] = /^\d+$/.test(key) ? [] : {};
    node = node[key];
  }
  node[keys.at(-1)] = value;
}

export class ScenarioForm {
  constructor(root, text, onChange) {
    this.root = root;
    this.text = text;
    this.onChange = onChange;
    this.model = emptyScenario();
  }

  show(model) {
    this.model = model && typeof model === "object" ? model : emptyScenario();
    this.render();
  }

  render() {
    const keepScroll = globalThis.scrollY;
    this.root.replaceChildren(
      this.section("basics", [
        this.field("id", "f_id", { hint: "f_id_help", mono: true }),
        this.bilingual("title", "f_title"),
        this.bilingual("brief", "f_brief", { multiline: true }),
      ]),
      this.section("account", [
        this.bilingual("account.company", "f_company"),
        this.bilingual("account.industry", "f_industry"),
        this.bilingual("account.buyer_name", "f_buyer_name"),
        this.bilingual("account.buyer_role", "f_buyer_role"),
        this.bilingual("account.product", "f_product", { multiline: true }),
        this.variants("opening", "f_opening", "f_opening_help"),
      ]),
      this.list("facts", "f_fact", (p) => [
        this.field(`${p}.id`, "f_id", { mono: true }),
        this.variants(`${p}.cues`, "f_cues", "f_cues_help"),
        this.variants(`${p}.answer`, "f_answer", "f_answer_help"),
      ], 8),
      this.list("problems", "f_problem", (p) => [
        ...this.item(p),
        this.variants(`${p}.hint`, "f_hint", "f_hint_help"),
        this.list(`${p}.implications`, "f_implication", (i) => [
          ...this.item(i),
          this.list(`${i}.needs`, "f_need", (n) => this.item(n)),
        ]),
      ], 3),
      this.list("objections", "f_objection", (p) => [
        this.field(`${p}.id`, "f_id", { mono: true }),
        this.trigger(`${p}.trigger`),
        this.variants(`${p}.text`, "f_objection_text", "f_answer_help"),
      ], 2),
      this.section("advance", [
        this.bilingual("advance.description", "f_advance_description", { multiline: true }),
        this.variants("advance.cues", "f_cues", "f_advance_cues_help"),
        this.variants("advance.accept", "f_accept", "f_answer_help"),
        this.variants("advance.defer", "f_defer", "f_answer_help"),
      ]),
    );
    globalThis.scrollTo({ top: keepScroll });
  }

  // A problem, implication or need: id, title, cues, answers, example question.
  item(path) {
    return [
      this.field(`${path}.id`, "f_id", { mono: true }),
      this.bilingual(`${path}.title`, "f_title"),
      this.variants(`${path}.cues`, "f_cues", "f_cues_help"),
      this.variants(`${path}.answer`, "f_answer", "f_answer_help"),
      this.bilingual(`${path}.example_question`, "f_example", { hint: "f_example_help" }),
    ];
  }

  el(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  section(key, children) {
    const box = this.el("fieldset", "form-section");
    box.dataset.path = key === "basics" ? "" : key;
    box.append(this.el("legend", "", this.text[`s_${key}`]), ...children);
    return box;
  }

  slot(path) {
    const error = this.el("p", "field-error");
    error.id = `err-${path || "top"}`;
    error.hidden = true;
    error.dataset.errorFor = path;
    return error;
  }

  control(path, { multiline = false, lines = false, mono = false, lang = "" } = {}) {
    const input = this.el(multiline || lines ? "textarea" : "input", mono ? "mono" : "");
    input.id = `f-${path}`;
    input.dataset.path = path;
    if (lang) input.lang = lang;
    if (multiline || lines) input.rows = lines ? 3 : 2;
    const value = get(this.model, path);
    input.value = lines ? LINES(value) : (value ?? "");
    input.addEventListener("input", () => {
      const next = lines
        ? input.value.split("\n").map((s) => s.trim()).filter(Boolean)
        : input.value;
      set(this.model, path, next);
      this.onChange();
    });
    return input;
  }

  labelled(path, label, options, hint) {
    const box = this.el("div", "field");
    box.dataset.path = path;
    const name = this.el("label", "", label);
    name.htmlFor = `f-${path}`;
    const input = this.control(path, options);
    const describedBy = [`err-${path}`];
    box.append(name, input);
    if (hint) {
      const help = this.el("p", "hint", hint);
      help.id = `hint-${path}`;
      describedBy.push(help.id);
      box.append(help);
    }
    input.setAttribute("aria-describedby", describedBy.join(" "));
    box.append(this.slot(path));
    return box;
  }

  field(path, key, { hint, mono } = {}) {
    return this.labelled(path, this.text[key], { mono }, hint ? this.text[hint] : "");
  }

  pair(path, key, hintKey, options) {
    const box = this.el("fieldset", "bilingual");
    box.dataset.path = path;
    box.append(this.el("legend", "", this.text[key]));
    const row = this.el("div", "pair");
    for (const lang of LANGS) {
      row.append(this.labelled(`${path}.${lang}`, this.text[`f_${lang}`], { ...options, lang }, ""));
    }
    box.append(row);
    if (hintKey) box.append(this.el("p", "hint", this.text[hintKey]));
    box.append(this.slot(path));
    return box;
  }

  bilingual(path, key, { multiline = false, hint } = {}) {
    return this.pair(path, key, hint, { multiline });
  }

  variants(path, key, hintKey) {
    return this.pair(path, key, hintKey, { lines: true });
  }

  trigger(path) {
    const box = this.el("div", "field");
    box.dataset.path = path;
    const name = this.el("label", "", this.text.f_trigger);
    name.htmlFor = `f-${path}`;
    const select = this.el("select");
    select.id = `f-${path}`;
    select.dataset.path = path;
    select.setAttribute("aria-describedby", `err-${path}`);
    for (const value of ["pitch", "price", "close"]) {
      const option = this.el("option", "", this.text[`trigger_${value}`]);
      option.value = value;
      select.append(option);
    }
    select.value = get(this.model, path) ?? "pitch";
    select.addEventListener("change", () => {
      set(this.model, path, select.value);
      this.onChange();
    });
    box.append(name, select, this.slot(path));
    return box;
  }

  list(path, itemKey, build, minimum = 1) {
    const kind = path.split(".").at(-1);
    const items = Array.isArray(get(this.model, path)) ? get(this.model, path) : [];
    const box = this.el("fieldset", `form-list list-${kind}`);
    box.dataset.path = path;
    const count = this.text.count.replace("{count}", items.length).replace("{min}", minimum);
    box.append(this.el("legend", "", `${this.text[`s_${kind}`]} · ${count}`));
    if (this.text[`s_${kind}_help`]) box.append(this.el("p", "hint", this.text[`s_${kind}_help`]));
    box.append(this.slot(path));
    items.forEach((_, index) => {
      const itemPath = `${path}.${index}`;
      const item = this.el("fieldset", "form-item");
      item.dataset.path = itemPath;
      const title = this.el("legend", "", this.text[itemKey].replace("{n}", index + 1));
      const remove = this.el("button", "small secondary remove-item", this.text.remove);
      remove.type = "button";
      remove.setAttribute("aria-label", `${this.text.remove}: ${title.textContent}`);
      remove.addEventListener("click", () => {
        items.splice(index, 1);
        this.onChange();
        this.render();
      });
      item.append(title, remove, this.slot(itemPath), ...build(itemPath));
      box.append(item);
    });
    const add = this.el("button", "small secondary add-item", this.text[`add_${kind}`]);
    add.type = "button";
    add.dataset.add = path;
    add.addEventListener("click", () => {
      if (!Array.isArray(get(this.model, path))) set(this.model, path, []);
      const added = get(this.model, path).push(NEW_ITEM[kind]()) - 1;
      this.onChange();
      this.render();
      document.getElementById(`f-${path}.${added}.id`)?.focus();
    });
    box.append(add);
    return box;
  }

  clearErrors() {
    for (const slot of this.root.querySelectorAll(".field-error")) {
      slot.hidden = true;
      slot.textContent = "";
    }
    for (const input of this.root.querySelectorAll("[aria-invalid]")) {
      input.removeAttribute("aria-invalid");
    }
  }

  // Shows `message` beside the field of `path`, or of its nearest listed parent; returns the
  // element to focus, or null when nothing on the form matches.
  showError(path, message) {
    let at = path;
    for (;;) {
      const slot = this.root.querySelector(`[data-error-for="${CSS.escape(at)}"]`);
      if (slot) {
        slot.hidden = false;
        slot.textContent = slot.textContent ? `${slot.textContent} ${message}` : message;
        const input = this.root.querySelector(`[data-path="${CSS.escape(at)}"]:is(input, textarea, select)`);
        input?.setAttribute("aria-invalid", "true");
        return input ?? slot;
      }
      if (!at) return null;
      at = at.includes(".") ? at.slice(0, at.lastIndexOf(".")) : "";
    }
  }
}
