"""Warnings for scenario authors: items the reading would find hard to recognise (issue 11)."""

from dataclasses import replace

from app.domain.language import Language
from app.domain.reading.coverage import WarningCode, recognition_warnings
from app.domain.scenario import Bilingual, Variants
from tests.factories import make_lexicon, make_scenario
from tests.support.paths import PERSONAS


def test_a_thin_problem_is_warned_about_in_the_language_it_is_thin_in() -> None:
    scenario = make_scenario()
    thin = replace(
        scenario.problems[2],
        title=Bilingual("Scrap", scenario.problems[2].title.zh),
        cues=Variants(("scrap",), scenario.problems[2].cues.zh),
        answer=Variants(("Scrap.",), scenario.problems[2].answer.zh),
        example_question=Bilingual("Scrap?", scenario.problems[2].example_question.zh),
    )
    scenario = replace(scenario, problems=(*scenario.problems[:2], thin))
    warnings = recognition_warnings(scenario, make_lexicon())
    few = [w for w in warnings if w.item_id == thin.id and w.code is WarningCode.FEW_WORDS]
    assert [w.language for w in few] == [Language.EN]
    assert "scrap-rate (en)" in few[0].message()


def test_an_item_its_own_question_misses_is_warned_about() -> None:
    scenario = make_scenario()
    problem = scenario.problems[0]
    stray = replace(
        problem, example_question=Bilingual("What colour are the walls?", "墙是什么颜色？")
    )
    scenario = replace(scenario, problems=(stray, *scenario.problems[1:]))
    warnings = recognition_warnings(scenario, make_lexicon())
    assert {(w.item_id, w.code) for w in warnings} >= {
        (problem.id, WarningCode.OWN_QUESTION_MISSED)
    }


def test_the_shipped_scenarios_have_no_warnings() -> None:
    from app.adapters.persona_files.catalog import load_catalog

    catalog = load_catalog(PERSONAS)
    for scenario in catalog.scenarios.values():
        assert recognition_warnings(scenario, catalog.lexicon) == [], scenario.id
