"""Audits of every page a role can reach: the pages are found by following the links a user
sees (so a page added later is audited without a new list), then each is checked with axe-core
(vendored from npm) and scanned for text that should never reach a user: locale keys, raw ids
and codes, and sentences that mix the page's language with another."""

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from playwright.sync_api import Page

from tests.support.paths import PERSONAS, ROOT

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Links that are not pages: downloads, the API, sign-out and language forms, static files.
NOT_PAGES = re.compile(r"^/(api|static|ws|lang|logout|docs|openapi\.json)(/|$|\?)")
MAX_PAGES = 60

# Collects the text a user reads (text nodes, and the attributes assistive technology
# reads out) with the language it is marked as being in. User-typed text and code are
# marked (data-user-text, lang, <code>) and skipped.
TEXTS_JS = """
() => {
  const out = [];
  const skip = "script,style,code,pre,textarea,template,[data-user-text],svg title,svg desc";
  const langOf = (el) => {
    const tagged = el.closest("[lang]");
    return tagged ? tagged.getAttribute("lang").slice(0, 2) : "";
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest(skip)) continue;
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    if (text) out.push({ text, lang: langOf(el), where: el.tagName.toLowerCase() });
  }
  for (const el of document.querySelectorAll("[aria-label],[placeholder],[title],[alt]")) {
    if (el.closest("[data-user-text]")) continue;
    for (const name of ["aria-label", "placeholder", "title", "alt"]) {
      const value = (el.getAttribute(name) || "").trim();
      if (value) out.push({ text: value, lang: langOf(el), where: `@${name}` });
    }
  }
  return out;
}
"""


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    lang: str
    where: str


def pattern(url: str) -> str:
    """/review/3f…/ → /review/{id}: one audit per kind of page, whatever the query."""
    return UUID.sub("{id}", urlsplit(url).path)


def crawl(page: Page, base_url: str, start: Iterable[str] = ("/",)) -> list[str]:
    """The pages reachable by following same-origin links from `start`, one URL per path
    pattern, breadth first."""
    queue = list(start)
    seen: dict[str, str] = {}
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if pattern(path) in seen or NOT_PAGES.match(path):
            continue
        response = page.goto(base_url + path)
        assert response is not None
        assert response.ok, f"{path}: HTTP {response.status}"
        seen[pattern(path)] = urlsplit(page.url).path + (
            "?" + urlsplit(page.url).query if urlsplit(page.url).query else ""
        )
        for href in page.eval_on_selector_all(
            "a[href]:not([download])", "links => links.map(a => a.getAttribute('href'))"
        ):
            target = urlsplit(href)
            if target.netloc or not target.path.startswith("/"):
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return list(seen.values())


def axe_violations(page: Page) -> list[str]:
    """axe-core's violations on the page as it is now, one line per rule and element."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))  # devtools evaluation: not subject to CSP
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, { resultTypes: ['violations'] })"
    )
    lines = []
    for violation in result["violations"]:
        for node in violation["nodes"]:
            lines.append(f"{violation['id']}: {node['target']} ({node['failureSummary'][:160]})")
    return lines


def page_texts(page: Page) -> list[Text]:
    return [Text(**item) for item in page.evaluate(TEXTS_JS)]


def _persona_ids() -> set[str]:
    """Every id a scenario file defines (scenarios, facts, problems, implications, needs,
    objections): none may reach a user as text."""
    ids: set[str] = set()

    def visit(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                ids.add(node["id"])
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    for path in (PERSONAS / "scenarios").glob("*.yaml"):
        visit(yaml.safe_load(path.read_text(encoding="utf-8")))
    return {i for i in ids if "-" in i}  # one-word ids are ordinary words


PERSONA_IDS = _persona_ids()
LOCALE_KEYS = set(json.loads((ROOT / "web" / "locales" / "en.json").read_text(encoding="utf-8")))
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}(?:[ ,'’-]+[A-Za-z]{2,}){2,}")
SNAKE_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
# Words that are the same in both languages: product and format names.
NEUTRAL = re.compile(r"\b(SPIN|CSV|JSON|xAPI|YAML|API|LLM|OpenAPI|kappa|Cohen)\b")


def problems_in(texts: Iterable[Text], language: str) -> Iterator[str]:
    """Raw keys and ids, and text in the other language, on a page in `language`."""
    for item in texts:
        words = item.text
        for key in _keys_in(words):
            yield f"locale key {key!r} in {words!r} ({item.where})"
        for found in SNAKE_CODE.findall(words):
            yield f"code {found!r} in {words!r} ({item.where})"
        for found in PERSONA_IDS:
            if re.search(rf"(?<![\w-]){re.escape(found)}(?![\w-])", words):
                yield f"scenario id {found!r} in {words!r} ({item.where})"
        if item.lang and item.lang != language:
            continue  # marked as the other language on purpose (a call's transcript)
        plain = NEUTRAL.sub("", words)
        if language == "en" and CJK.search(plain):
            yield f"Chinese on an English page: {words!r} ({item.where})"
        if language == "zh" and ENGLISH_RUN.search(plain):
            yield f"English on a Chinese page: {words!r} ({item.where})"


def _keys_in(words: str) -> list[str]:
    return [token for token in re.findall(r"[a-z_]+\.[a-z_.]+", words) if token in LOCALE_KEYS]
