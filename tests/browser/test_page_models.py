"""The pages' view models, without a browser: the typed scorecard in the page's language,
and chart geometry that stays inside the drawing."""

from dataclasses import replace

from app.adapters.persona_files.feedback import load_feedback
from app.domain.language import Language
from app.domain.scorecard.card import Scorecard, score
from app.domain.scorecard.discovery import DiscoveryItem
from app.domain.style import StyleName
from app.domain.transcript import Role
from app.routes.pages.charts import bar_chart, line_chart, sparkline, stacked_chart
from app.routes.pages.models import ScenarioWords, number, scorecard_view
from tests.domain.scorecard.scoring_fixtures import Call, bad_call, good_call, make_scoring_scenario
from tests.support.paths import PERSONAS

NAMES = {"situation": "S", "problem": "P", "implication": "I", "need_payoff": "N", "other": "O"}


def _card(call: Call, language: Language) -> Scorecard:
    return score(
        transcript=call.transcript,
        state=call.state,
        scenario=make_scoring_scenario(),
        style=StyleName.DRIVER,
        language=language,
    )


def test_scorecard_view_of_no_scorecard_is_empty() -> None:
    view = scorecard_view(None, load_feedback(PERSONAS / "feedback.yaml"), Language.EN, NAMES)
    assert view.components == []
    assert view.coaching == []
    assert view.outcome is None


def test_scorecard_view_builds_the_discovery_tree_and_words() -> None:
    good = good_call(Language.EN)
    card = _card(good, Language.EN)
    view = scorecard_view(card, load_feedback(PERSONAS / "feedback.yaml"), Language.EN, NAMES)
    assert view.overall == card.overall
    assert [c.key for c in view.components] == [c.component.value for c in card.components]
    assert view.mix is not None
    assert sum(bar.value for bar in view.mix.bars) == card.mix.moves
    found = {p.id: p for p in view.discovery}
    first = card.discovery.problems.found[0]
    assert first.seq is not None
    moves = [t.seq for t in good.transcript if t.role is Role.TRAINEE]
    assert found[first.id].turn == moves.index(first.seq) + 1  # the trainee's own moves
    problem = found[first.id]
    assert problem.children  # its implications hang under it
    assert all(not f.text.startswith(f.code) for fs in view.sections.values() for f in fs)
    assert view.outcome is not None


def test_scorecard_view_keeps_items_whose_parent_is_not_listed() -> None:
    bad = bad_call(Language.EN)
    card = _card(bad, Language.EN)
    orphan = DiscoveryItem("n9", "Less", None, "i-unknown")
    needs = replace(card.discovery.needs, missed=(*card.discovery.needs.missed, orphan))
    card = replace(card, discovery=replace(card.discovery, needs=needs))
    view = scorecard_view(card, load_feedback(PERSONAS / "feedback.yaml"), Language.EN, NAMES)
    assert view.discovery[-1].title == "Less"


def test_scorecard_view_speaks_chinese() -> None:
    bad = bad_call(Language.ZH)
    card = _card(bad, Language.ZH)
    view = scorecard_view(card, load_feedback(PERSONAS / "feedback.yaml"), Language.ZH, NAMES)
    assert "暗示问题" in view.sections["mix"][0].text
    assert view.coaching
    moves = [t.seq for t in bad.transcript if t.role is Role.TRAINEE]
    assert view.coaching[0].turn == moves.index(card.coaching[0].seq) + 1


def test_charts_stay_inside_their_drawing() -> None:
    bars = bar_chart([("a", "A", 0), ("b", "B", 7), ("c", "C", 3)], description="")
    assert max(b.height for b in bars.bars) <= bars.baseline
    assert all(b.x >= 0 and b.x + b.width <= bars.width for b in bars.bars)
    line = line_chart([("x", 0, "/a"), ("y", 100, "/b"), ("z", 140, "/c")], description="")
    assert all(line.top <= p.y <= line.height - line.bottom for p in line.points)
    assert line.path.startswith("M")
    single = line_chart([("x", 50, "/a")], description="")
    assert len(single.points) == 1


def test_stacked_mix_columns_fill_the_plot_in_spin_order() -> None:
    chart = stacked_chart(
        [
            ("d1", {"situation": 0.5, "implication": 0.25, "need_payoff": 0.25}, "/a"),
            ("d2", {"problem": 2.0, "bogus": 9.0}, "/b"),  # not shares: normalised
            ("d3", {}, "/c"),
        ],
        description="",
    )
    first, second, empty = chart.columns
    assert [s.key for s in first.segments] == ["situation", "implication", "need_payoff"]
    assert [s.share for s in first.segments] == [50, 25, 25]
    assert round(sum(s.height for s in first.segments)) == round(chart.baseline - chart.top)
    assert first.segments[0].y > first.segments[-1].y  # situation at the bottom
    assert [s.share for s in second.segments] == [100]
    assert empty.segments == []
    assert all(c.x >= 0 and c.x + c.width <= chart.width for c in chart.columns)


def test_sparkline_stays_inside_its_box() -> None:
    spark = sparkline([0, 140, 55], description="")
    assert spark.path.count("L") == 2
    assert spark.last is not None
    assert 0 <= spark.last[1] <= spark.height
    assert sparkline([], description="").last is None


def test_numbers_read_the_same_in_both_languages() -> None:
    assert [number(v) for v in (72, 72.0, 66.666, 7.25, 0.04, None)] == [
        "72",
        "72",
        "66.7",
        "7.2",
        "0",
        "–",
    ]


def test_a_chinese_page_names_the_scenario_of_an_english_call_in_chinese() -> None:
    """The card of an English call names problems in English; a Chinese page must not say
    "客户承认了“Operator turnover”": it names them in Chinese."""
    scenario = make_scoring_scenario()
    card = _card(good_call(Language.EN), Language.EN)
    words = ScenarioWords.of(scenario, call=Language.EN, page=Language.ZH)
    feedback = load_feedback(PERSONAS / "feedback.yaml")
    view = scorecard_view(card, feedback, Language.ZH, NAMES, words)
    assert {node.title for node in view.discovery} == {p.title.zh for p in scenario.problems}
    texts = [f.text for lines in view.sections.values() for f in lines]
    assert any(p.title.zh in text for p in scenario.problems for text in texts)
    assert not any(p.title.en in text for p in scenario.problems for text in texts)
