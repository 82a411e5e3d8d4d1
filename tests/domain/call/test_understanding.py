"""The understanding harness (issue 11) over the shipped scenarios: what it counts, how it
reads its files, and the amiable buyer opening after the warm-up a person would give."""

import json

import pytest

from app.domain.call.understanding import (
    WARM_UP,
    Level,
    Probe,
    evaluate_understanding,
    format_understanding,
    parse_probes,
    run_probe,
)
from app.domain.language import Language
from app.domain.reading.index import index_for
from app.domain.reading.reading import read
from app.domain.style import StyleName
from app.main import OfflineParts, load_offline_parts
from app.settings import Settings


@pytest.fixture(scope="module")
def parts() -> OfflineParts:
    return load_offline_parts(Settings())


def _line(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


def test_parse_probes_names_the_bad_line() -> None:
    good = _line(scenario="s", item=None, level="negative", lang="en", text="Hi")
    with pytest.raises(ValueError, match="line 3"):
        parse_probes([good, "", _line(scenario="s", level="bogus", lang="en", text="x")])


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize("scenario_id", ["plant-operators", "bank-vendor", "telecom-enterprise"])
def test_amiable_buyer_opens_after_a_warm_up(
    parts: OfflineParts, scenario_id: str, language: Language
) -> None:
    """Issue 11: two warm rapport moves, then the scenario's own question, and the amiable
    buyer admits the problem (it used to hold back for ever)."""
    scenario = parts.catalog.scenarios[scenario_id]
    problem = scenario.problems[0]
    buyer = parts.rehearsal(scenario, StyleName.AMIABLE, language)
    for line in WARM_UP[language]:
        buyer.say(line)
    assert buyer.state.rapport_moves == len(WARM_UP[language])
    buyer.say(problem.example_question(language))
    assert problem.id in buyer.state.problems


def test_a_probe_counts_its_own_item_and_a_wrong_one(parts: OfflineParts) -> None:
    scenario = parts.catalog.scenarios["plant-operators"]
    turnover = next(p for p in scenario.problems if p.id == "operator-turnover")
    asked = Probe(
        scenario.id, turnover.id, Level.PROBLEM, Language.EN, turnover.example_question.en
    )
    result = run_probe(
        asked, parts.rehearsal(scenario, StyleName.DRIVER, Language.EN), scenario, StyleName.DRIVER
    )
    assert result.unlocked
    assert not result.wrong
    other = Probe(scenario.id, "slow-breakdown-support", Level.PROBLEM, Language.EN, asked.text)
    missed = run_probe(
        other, parts.rehearsal(scenario, StyleName.DRIVER, Language.EN), scenario, StyleName.DRIVER
    )
    assert not missed.unlocked
    assert missed.wrong


def test_implication_probe_puts_its_parent_on_the_table_first(parts: OfflineParts) -> None:
    scenario = parts.catalog.scenarios["plant-operators"]
    problem = next(p for p in scenario.problems if p.id == "operator-turnover")
    implication = problem.implications[0]
    probe = Probe(
        scenario.id, implication.id, Level.IMPLICATION, Language.ZH, implication.example_question.zh
    )
    buyer = parts.rehearsal(scenario, StyleName.ANALYTICAL, Language.ZH)
    result = run_probe(probe, buyer, scenario, StyleName.ANALYTICAL)
    assert not result.parent_missing
    assert problem.id in buyer.state.problems
    assert result.unlocked


def test_report_has_a_row_per_level_and_language_and_counts_negatives(
    parts: OfflineParts,
) -> None:
    scenario = parts.catalog.scenarios["bank-vendor"]
    probes = [
        Probe(scenario.id, None, Level.NEGATIVE, Language.EN, "How was the drive in today?"),
        Probe(scenario.id, None, Level.NEGATIVE, Language.ZH, "周末过得怎么样？"),
        Probe(
            scenario.id,
            scenario.problems[0].id,
            Level.PROBLEM,
            Language.EN,
            scenario.problems[0].example_question.en,
        ),
    ]
    report = evaluate_understanding(
        probes, parts.catalog.scenarios, parts.rehearsal, styles=[StyleName.DRIVER]
    )
    assert report.by_level[(Level.NEGATIVE, Language.EN)].wrong == 0
    assert report.by_level[(Level.PROBLEM, Language.EN)].unlocked == 1
    table = format_understanding(report)
    assert "negative" in table
    assert "problem" in table
    assert "zh" in table


@pytest.mark.parametrize("style", list(StyleName))
def test_a_chatty_situation_question_gets_the_one_fact_it_points_at(
    parts: OfflineParts, style: StyleName
) -> None:
    """Played as a trainee would: a polite lead-in dilutes the question's one clear cue below
    the fact threshold; the buyer still answers it instead of "I'd need to check"."""
    scenario = parts.catalog.scenarios["bank-vendor"]
    buyer = parts.rehearsal(scenario, style, Language.EN)
    buyer.say(
        "Thanks for making the time, Mr Zhang. Before anything else, could you tell me how "
        "the selection process is set up on your side?"
    )
    assert "selection-process" in buyer.state.facts
    walls = parts.rehearsal(scenario, style, Language.EN)
    walls.say("Thanks for making the time. What colour are the walls in your reception?")
    assert walls.state.facts == {}


def test_a_noun_before_a_demonstrative_names_the_topic_it_does_not_refer_back(
    parts: OfflineParts,
) -> None:
    """ "东南亚那边" is "over in South-East Asia", not "what you just said"."""
    scenario = parts.catalog.scenarios["pharma-key-account"]
    index = index_for(scenario, parts.catalog.lexicon)
    assert not read("东南亚那边的产品注册，是不是挺难办的？", index, focus=None).refers_back
    assert not read("你们现在用的那个差旅平台好用吗？", index, focus=None).refers_back
    assert not read("换系统这件事，内部最担心的是什么？", index, focus=None).refers_back
    assert read("那边的情况怎么样？", index, focus=None).refers_back
    assert read("那个会带来什么影响？", index, focus=None).refers_back
    assert read("您刚才说的那块，影响大吗？", index, focus=None).refers_back


@pytest.mark.parametrize("language", list(Language))
def test_a_hint_let_slip_while_being_thanked_is_not_developed_by_an_unrelated_question(
    parts: OfflineParts, language: Language
) -> None:
    """The amiable buyer vents a problem on the warm-up; a later question about another
    area develops none of its implications (SPIN.md §1: implications develop a stated
    problem)."""
    scenario = parts.catalog.scenarios["provincial-network"]
    buyer = parts.rehearsal(scenario, StyleName.AMIABLE, language)
    for line in WARM_UP[language]:
        buyer.say(line)
    assert buyer.state.hints, "the amiable buyer let a problem slip on the warm-up"
    other = {
        Language.EN: "Did the group's financial audit give the canteen staff much trouble?",
        Language.ZH: "维护用车那块，成本高不高？",
    }[language]
    buyer.say(other)
    assert buyer.state.implications == {}
