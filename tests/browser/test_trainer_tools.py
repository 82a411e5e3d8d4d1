"""The trainer's tools in a real browser: cohort analytics with the classifier's agreement
after a correction; scenario authoring (field errors, a copy of a shipped scenario saved,
listed on the home page and played); real-call analysis in English and Chinese; export
downloads; the trainee's progress charts and the drill picker."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from app.adapters.persona_files.catalog import load_catalog
from tests.browser.conftest import run_async, screenshot, sign_in
from tests.conftest import LiveServer
from tests.support.client import Api, join_new_cohort, play_and_end
from tests.support.paths import PERSONAS

MOVES = [
    "How many operators work on each shift?",
    "What problems do you have with keeping trained operators?",
    "How does that turnover affect your overtime costs?",
]
ENGLISH_CALL = "\n".join(
    [
        "Seller: How many operators work on each shift?",
        "Customer: About forty on the day shift.",
        "Seller: What problems do you have with keeping trained operators?",
        "Customer: Turnover is high, we lose a few every month.",
        "Seller: How does that turnover affect your overtime costs?",
    ]
)
CHINESE_CALL = "\n".join(
    [
        "销售：你们现在每个班有多少名操作工？",
        "客户：白班大概四十个人。",
        "销售：留住熟练操作工方面有什么困难吗？",
        "客户：流失率挺高的，每个月都有人走。",
    ]
)
INVALID_YAML = "id: Not A Kebab Id\ntitle:\n  en: Only English\n"


@pytest.fixture(scope="module")
def cohort_call(server: LiveServer) -> Iterator[dict[str, Any]]:
    """The trainer's cohort, a trainee who joined it, and one ended English call."""
    trainer = Api(server.url).login("trainer")
    trainee, username, cohort_id = join_new_cohort(
        trainer, cohort_name="Tools cohort", username_prefix="tools-"
    )
    session = trainee.start_session("plant-operators", style="driver", language="en")
    run_async(lambda: play_and_end(trainee, session["id"], MOVES))
    yield {"id": session["id"], "trainee": username, "cohort": cohort_id, "trainer": trainer}
    trainer.close()
    trainee.close()


def open_yaml_view(page: Page) -> None:
    """The editor opens on the form, once its script has built it; then the YAML tab."""
    expect(page.locator("#form-fields fieldset").first).to_be_visible()
    page.click("#tab-yaml")
    expect(page.locator("#scenario-yaml")).to_be_visible()


def sign_in_trainer(page: Page, server: LiveServer) -> None:
    sign_in(page, server, "trainer")


def test_analytics_shows_kappa_after_a_trainer_corrects_a_label(
    page: Page, server: LiveServer, cohort_call: dict[str, Any]
) -> None:
    sign_in_trainer(page, server)
    page.goto(f"{server.url}/review")
    page.click("#to-analytics")
    expect(page).to_have_url(re.compile(r"/analytics$"))
    expect(
        page.locator(".analytics-table tbody tr", has_text=cohort_call["trainee"])
    ).to_have_count(1)
    expect(page.locator("#no-corrections")).to_be_visible()
    expect(page.locator("#kappa")).to_have_count(0)

    trainer: Api = cohort_call["trainer"]
    view = trainer.get(f"/api/sessions/{cohort_call['id']}").json()
    first = next(t for t in view["turns"] if t["role"] == "trainee")
    changed = trainer.patch(f"/api/turns/{first['id']}", {"label": "implication", "move": None})
    assert changed.status_code == 200, changed.text

    page.select_option("#cohort", cohort_call["cohort"])
    page.click(".cohort-pick button[type=submit]")
    expect(page).to_have_url(re.compile(rf"cohort={cohort_call['cohort']}"))
    expect(page.locator("#no-corrections")).to_have_count(0)
    expect(page.locator("#kappa")).to_have_text(re.compile(r"^-?\d\.\d\d$"))
    expect(page.locator("#corrected")).to_have_text("1")
    expect(page.locator("#observed")).to_have_text("0%")
    expect(page.locator("table.confusion tbody tr")).to_have_count(5)
    # the classifier said situation, the trainer implication: row 1, column 3
    expect(page.locator("table.confusion tbody tr >> nth=0").locator("td >> nth=2")).to_have_text(
        "1"
    )
    expect(page.locator(".analytics-table svg.spark path")).to_have_count(1)
    screenshot(page, "analytics")


def test_authoring_shows_field_errors_then_saves_and_plays_a_copy(
    page: Page, server: LiveServer
) -> None:
    sign_in_trainer(page, server)
    page.goto(f"{server.url}/scenarios")
    expect(page.locator("li[data-scenario='plant-operators'] .tag")).to_be_visible()
    page.click("#new-scenario")
    open_yaml_view(page)
    page.fill("#scenario-yaml", INVALID_YAML)
    page.click("#save-scenario")
    problems = page.locator("#scenario-problems .problem-list li")
    expect(problems.first).to_be_visible()
    expect(page.locator("#scenario-problems .field-path").first).to_have_text(
        re.compile(r"^[\w.()-]+( level\))?$")
    )
    expect(page.locator("#scenario-problems .field-path", has_text="id")).not_to_have_count(0)
    expect(page.locator("#scenario-yaml")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "scenario-errors")

    page.goto(f"{server.url}/scenarios")
    page.click("li[data-scenario='plant-operators'] a.button")
    open_yaml_view(page)
    expect(page.locator("#scenario-yaml")).to_have_value(
        re.compile(r"^id: plant-operators-copy$", re.M)
    )
    page.click("#save-scenario")
    expect(page.locator("#scenario-status")).to_contain_text("plant-operators-copy")
    expect(page.locator("#scenario-yaml")).not_to_have_attribute("aria-invalid", "true")
    expect(page).to_have_url(re.compile(r"/scenarios/plant-operators-copy/edit$"))
    screenshot(page, "scenario-editor")
    page.click("#preview-scenario")
    expect(page).to_have_url(re.compile(r"/practice/[0-9a-f-]{36}$"))
    expect(page.locator("#chat-log .msg.buyer")).to_have_count(1)

    page.goto(f"{server.url}/")
    expect(page.locator("#scenario-plant-operators-copy")).to_have_count(1)
    page.goto(f"{server.url}/scenarios")
    expect(page.locator("li[data-scenario='plant-operators-copy'] a.button")).to_have_attribute(
        "href", "/scenarios/plant-operators-copy/edit"
    )


def test_real_call_analysis_labels_english_and_chinese_calls(
    page: Page, server: LiveServer
) -> None:
    sign_in_trainer(page, server)
    page.goto(f"{server.url}/analyses/new")
    page.click("#analyse")  # nothing pasted yet
    expect(page.locator("#analysis-error")).to_be_visible()
    expect(page.locator("#transcript")).to_have_attribute("aria-invalid", "true")

    page.fill("#transcript", ENGLISH_CALL)
    page.click("#analyse")
    expect(page.locator("#analysis-result")).to_be_visible()
    expect(page.locator("#analysis-turns li")).to_have_count(5)
    expect(page.locator("#analysis-turns .chip")).to_have_text(
        ["Situation", "Problem", "Implication"]
    )
    expect(page.locator("#analysis-overall")).to_have_text(re.compile(r"^\d{1,3}$"))
    discovery = page.locator("#analysis-components tr[data-component=discovery]")
    expect(discovery).to_contain_text("Not applicable")
    expect(page.locator("#analysis-findings li").first).to_be_visible()
    expect(page.locator("#analysis-error")).to_be_hidden()
    screenshot(page, "analysis")

    page.fill("#transcript", CHINESE_CALL)
    page.click("#analyse")
    expect(page.locator("#analysis-language")).to_have_text("Analysed as Chinese.")
    expect(page.locator("#analysis-turns li")).to_have_count(4)
    expect(page.locator("#analysis-turns .chip")).to_have_text(["Situation", "Problem"])
    expect(page.locator("#analysis-turns .text").first).to_have_text(
        "你们现在每个班有多少名操作工？"
    )


def test_export_links_download_json_and_csv(
    page: Page, server: LiveServer, cohort_call: dict[str, Any]
) -> None:
    sign_in_trainer(page, server)
    page.goto(f"{server.url}/sessions/{cohort_call['id']}/scorecard")
    with page.expect_download() as csv_download:
        page.click(".exports a[data-export=csv]")
    assert csv_download.value.suggested_filename == f"session-{cohort_call['id']}.csv"
    with page.expect_download() as json_download:
        page.click(".exports a[data-export=json]")
    assert json_download.value.suggested_filename.endswith(".json")
    for kind, media in (("csv", "text/csv"), ("json", "application/json")):
        href = page.locator(f".exports a[data-export={kind}]").get_attribute("href")
        response = page.request.get(f"{server.url}{href}")
        assert response.ok
        assert response.headers["content-type"].startswith(media)

    page.goto(f"{server.url}/review/{cohort_call['id']}")
    expect(page.locator(".exports a[data-export=csv]")).to_have_attribute(
        "href", f"/api/exports/sessions/{cohort_call['id']}.csv"
    )

    page.goto(f"{server.url}/review?language=en&since=2000-01-01")
    xapi = page.locator(".exports a[data-export=xapi]")
    expect(xapi).to_have_attribute("href", re.compile(r"since=2000-01-01"))
    expect(page.locator(".exports a[data-export=csv]")).to_have_attribute(
        "href", re.compile(r"language=en")
    )
    with page.expect_download() as list_download:
        page.click(".exports a[data-export=csv]")
    assert list_download.value.suggested_filename == "sessions.csv"
    statements = page.request.get(f"{server.url}{xapi.get_attribute('href')}")
    assert statements.headers["content-type"].startswith("application/json")
    assert any(cohort_call["id"] in str(s) for s in statements.json())
    rows = page.request.get(
        f"{server.url}{page.locator('.exports a[data-export=json]').get_attribute('href')}"
    ).json()
    assert rows
    assert all(r["session"]["language"] == "en" for r in rows)


def test_progress_shows_mix_and_discovery_charts(
    page: Page, server: LiveServer, cohort_call: dict[str, Any]
) -> None:
    sign_in(page, server, cohort_call["trainee"])
    page.goto(f"{server.url}/progress")
    expect(page.locator("svg.chart.stacked rect.seg").first).to_be_visible()
    expect(page.locator("svg.chart.stacked g.column")).to_have_count(1)
    expect(page.locator(".milestones dt")).to_have_text(["First", "Best", "Latest"])
    expect(page.locator(".chart-legend li")).to_have_count(5)
    screenshot(page, "progress-charts")


def test_drill_picker_starts_a_drill_on_the_chosen_problem(page: Page, server: LiveServer) -> None:
    scenario = load_catalog(PERSONAS).scenarios["bank-vendor"]
    problem = scenario.problems[1]
    sign_in(page, server, "trainee2")
    page.select_option("#drill-scenario", "bank-vendor")
    expect(page.locator("#drill-problem option:not([disabled])")).to_have_count(
        len(scenario.problems)
    )
    page.select_option("#drill-problem", problem.id)
    page.check("#drill-form input[name=kind][value=need_payoff]")
    page.check("#drill-form input[name=language][value=en]")
    screenshot(page, "drill-picker", full_page=False)
    page.click("#drill-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/practice/[0-9a-f-]{36}$"))
    opening = page.locator("#chat-log .msg.buyer .text")
    expect(opening).to_have_count(1)
    expect(opening).to_have_text(
        re.compile("|".join(re.escape(answer[:40]) for answer in problem.answer.en))
    )


def test_tool_pages_fit_a_phone(page: Page, server: LiveServer) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_trainer(page, server)
    for path in ("/analytics", "/scenarios", "/scenarios/new", "/analyses/new", "/review"):
        page.goto(f"{server.url}{path}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path


def test_an_author_disables_enables_and_deletes_scenarios(page: Page, server: LiveServer) -> None:
    """Issue 14: the scenarios page lets the author disable, enable and delete; a scenario a
    call was played on cannot be deleted, and the page says to disable it instead."""
    trainer = Api(server.url).login("trainer")
    played, unplayed = "browser-played", "browser-unplayed"
    for scenario_id in (played, unplayed):
        text = trainer.get("/api/scenarios/plant-operators/source").json()["yaml"]
        text = text.replace("id: plant-operators", f"id: {scenario_id}", 1)
        assert trainer.post("/api/scenarios", {"yaml": text}).status_code == 201
    trainer.start_session(played)
    sign_in_trainer(page, server)
    page.goto(f"{server.url}/scenarios")
    row = page.locator(f"li[data-scenario='{played}']")
    row.locator("button[data-action=disable]").click()
    expect(row.locator("[data-role=disabled-tag]")).to_be_visible()
    row.locator("button[data-action=enable]").click()
    expect(row.locator("[data-role=disabled-tag]")).to_have_count(0)
    page.once("dialog", lambda dialog: dialog.accept())
    row.locator("button[data-action=delete]").click()
    expect(page.locator("#scenario-status")).to_contain_text("cannot be deleted")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"li[data-scenario='{unplayed}'] button[data-action=delete]").click()
    expect(page.locator(f"li[data-scenario='{unplayed}']")).to_have_count(0)
    expect(row).to_have_count(1)
    trainer.close()
