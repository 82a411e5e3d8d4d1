"""The pages' view models, without a browser: a scorecard with missing or odd keys renders
less, never an error; chart geometry stays inside the drawing."""

from pathlib import Path

from app.adapters.persona_files.feedback import load_feedback
from app.domain.language import Language
from app.routes.pages.charts import bar_chart, line_chart, sparkline, stacked_chart
from app.routes.pages.models import scorecard_view

PERSONAS = Path(__file__).resolve().parents[2] / "personas"
NAMES = {"situation": "S", "problem": "P", "implication": "I", "need_payoff": "N", "other": "O"}

CARD = {
    "overall": 42,
    "components": [
        {"component": "mix", "points": 6.0, "max_points": 20.0, "applicable": True, "parts": []},
        {"component": "outcome", "points": 0, "max_points": 15, "applicable": False},
    ],
    "mix": {
        "counts": [{"label": "situation", "count": 3}, {"label": "problem", "count": 1}],
        "open_seqs": [1, 3],
        "closed_seqs": [5],
    },
    "discovery": {
        "applicable": True,
        "problems": {"found": [{"id": "p1", "title": "Turnover", "seq": 3}], "missed": []},
        "implications": {
            "found": [],
            "missed": [{"id": "i1", "title": "Overtime", "seq": None, "parent_id": "p1"}],
        },
        "needs": {"found": [], "missed": [{"id": "n1", "title": "Less", "parent_id": "i9"}]},
    },
    "outcome": {"applicable": True, "outcome": "no_sale", "reason": "outcome.no_sale_no_advance"},
    "findings": [{"code": "mix.no_implication", "seqs": [], "params": {}, "points": -6.0}],
    "coaching": [{"seq": 3, "code": "coaching.closing", "better": {"text": "Why?"}}],
}


def test_scorecard_view_of_nothing_or_garbage_is_empty() -> None:
    messages = load_feedback(PERSONAS / "feedback.yaml")
    for card in (None, {}, {"components": "x", "mix": 3, "findings": [None, 7], "coaching": [1]}):
        view = scorecard_view(card, messages, Language.EN, NAMES)
        assert view.components == []
        assert view.coaching == []
        assert view.outcome is None


def test_scorecard_view_builds_the_discovery_tree_and_words() -> None:
    view = scorecard_view(CARD, load_feedback(PERSONAS / "feedback.yaml"), Language.EN, NAMES)
    assert view.overall == 42
    assert [c["applicable"] for c in view.components] == [True, False]
    assert view.mix is not None
    assert [bar.value for bar in view.mix.bars] == [3, 1, 0, 0, 0]
    assert (view.open_count, view.closed_count) == (2, 1)
    problem = view.discovery[0]
    assert (problem.title, problem.turn) == ("Turnover", 4)
    assert problem.children[0].title == "Overtime"
    assert view.discovery[-1].title == "Less"  # its parent is unknown: kept, not dropped
    assert view.sections["mix"][0]["text"].startswith("You asked no implication question")
    assert view.outcome is not None
    assert view.coaching[0]["turn"] == 4


def test_scorecard_view_speaks_chinese() -> None:
    view = scorecard_view(CARD, load_feedback(PERSONAS / "feedback.yaml"), Language.ZH, NAMES)
    assert "暗示问题" in view.sections["mix"][0]["text"]


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
