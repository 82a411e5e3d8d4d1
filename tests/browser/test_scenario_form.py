"""Scenario authoring without YAML: a form beside the YAML view (both languages, lists of
facts, problems → implications → needs, objections, the advance), errors beside their field
and YAML errors with their line, and help inside the page."""

import re

from playwright.sync_api import Page, expect

from app.adapters.persona_files.catalog import load_catalog
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import LiveServer
from tests.support.paths import PERSONAS


def field(path: str) -> str:
    return f"[id='f-{path}']"


def error_of(path: str) -> str:
    return f"[data-error-for='{path}']"


def test_a_copy_is_edited_in_the_form_and_errors_show_beside_their_field(
    page: Page, server: LiveServer
) -> None:
    sign_in(page, server, "trainer")
    page.goto(f"{server.url}/scenarios/new?copy=plant-operators")
    expect(page.locator("#tab-form")).to_have_attribute("aria-selected", "true")
    expect(page.locator(field("id"))).to_have_value("plant-operators-copy")  # built by the script
    expect(page.locator(field("title.en"))).to_have_value(
        "Die-casting plant with too few trained operators"
    )
    shipped = load_catalog(PERSONAS).scenarios["plant-operators"]
    problems = page.locator(".list-problems > .form-item")
    expect(problems).to_have_count(len(shipped.problems))
    expect(
        page.locator(".list-problems > .form-item").first.locator(".list-implications")
    ).to_be_visible()

    page.fill(field("id"), "Plant Copy")
    page.fill(field("problems.0.title.zh"), "")
    page.click("#save-scenario")
    id_error = page.locator(error_of("id"))
    expect(id_error).to_have_text(re.compile("lowercase letters, digits and hyphens"))
    expect(page.locator(field("id"))).to_have_attribute("aria-invalid", "true")
    expect(page.locator(error_of("problems.0.title.zh"))).to_have_text("Write something here.")
    listed = page.locator("#scenario-problems .problem-list li")
    expect(listed).to_have_count(2)
    expect(listed.first.locator(".line-link")).to_have_text("Line 1")
    screenshot(page, "scenario-form-errors", full_page=False)
    listed.nth(1).locator("button", has_text="Go to the field").click()
    expect(page.locator(field("problems.0.title.zh"))).to_be_focused()

    page.fill(field("id"), "plant-form-copy")
    page.fill(field("problems.0.title.zh"), "过度依赖少数熟练工（副本）")
    page.click("#tab-yaml")
    yaml_text = page.locator("#scenario-yaml")
    expect(yaml_text).to_have_value(re.compile(r"^id: plant-form-copy$", re.M))
    expect(yaml_text).to_have_value(re.compile("过度依赖少数熟练工（副本）"))
    page.click("#tab-form")
    page.click("#save-scenario")
    expect(page.locator("#scenario-status")).to_contain_text("plant-form-copy")
    expect(page).to_have_url(re.compile(r"/scenarios/plant-form-copy/edit$"))
    expect(page.locator("#scenario-problems .problem-list li")).to_have_count(0)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "scenario-form", full_page=False)


def test_lists_grow_and_shrink_and_yaml_errors_name_their_line(
    page: Page, server: LiveServer
) -> None:
    sign_in(page, server, "trainer")
    page.goto(f"{server.url}/scenarios/new")
    expect(page.locator("#scenario-help summary")).to_contain_text("How a scenario works")
    facts = page.locator(".list-facts > .form-item")
    expect(facts).to_have_count(1)  # the script has built the form
    page.click(".list-facts > .add-item")
    expect(facts).to_have_count(2)
    expect(page.locator(field("facts.1.id"))).to_be_focused()
    facts.nth(1).locator("> .remove-item").click()
    expect(facts).to_have_count(1)
    page.click("#save-scenario")  # an empty scenario: every missing piece is named
    expect(page.locator(error_of("title.zh"))).to_have_text("Write something here.")
    expect(page.locator(error_of("opening.en"))).to_have_text("Add at least 1.")
    expect(page.locator(error_of("facts.0.id"))).to_have_text(re.compile("lowercase letters"))

    page.click("#tab-yaml")
    page.fill("#scenario-yaml", "id: broken\ntitle:\n  en: [unclosed\n  zh: 标题\n")
    page.click("#save-scenario")
    item = page.locator("#scenario-problems .problem-list li")
    expect(item).to_have_count(1)
    expect(item.locator(".line-link")).to_have_text(re.compile(r"^Line [34]$"))
    expect(item).to_contain_text("The YAML cannot be read")
    page.click("#tab-form")  # unreadable YAML: the page stays on it
    expect(page.locator("#tab-yaml")).to_have_attribute("aria-selected", "true")
    item.locator(".line-link").click()
    expect(page.locator("#scenario-yaml")).to_be_focused()
