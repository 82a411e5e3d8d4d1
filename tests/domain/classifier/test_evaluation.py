"""Evaluation metrics for `spin-practice eval`: per-label P/R/F1, macro-F1, confusion matrix,
latency and per-language figures, and the report's last line."""

import re
from collections.abc import Mapping

import pytest

from app.domain.classifier.evaluation import (
    LABEL_ORDER,
    EvaluationExample,
    context_of,
    evaluate,
    format_report,
    parse_examples,
    percentile,
)
from app.domain.labels import NO_CONTEXT, Label, Move, MoveContext, MoveKind, SpinLabel
from app.domain.language import Language

SIT, PRO, IMP, NEED, OTH = (
    SpinLabel.SITUATION,
    SpinLabel.PROBLEM,
    SpinLabel.IMPLICATION,
    SpinLabel.NEED_PAYOFF,
    SpinLabel.OTHER,
)


class TableClassifier:
    """A real classifier over a fixed table: text -> label (and move for `other`)."""

    def __init__(self, table: Mapping[str, tuple[SpinLabel, Move | None]]) -> None:
        self.table = table
        self.languages: list[Language | None] = []
        self.contexts: list[MoveContext] = []

    def __call__(
        self, text: str, *, context: MoveContext = NO_CONTEXT, language: Language | None = None
    ) -> Label:
        self.languages.append(language)
        self.contexts.append(context)
        label, move = self.table[text]
        kind = MoveKind.STATEMENT if label is OTH else MoveKind.QUESTION
        return Label(
            kind=kind,
            label=label,
            move=move,
            open=None if kind is MoveKind.STATEMENT else True,
            confidence=0.9,
        )


class SteppingClock:
    """Each call advances by the next step (seconds), so every move's latency is known."""

    def __init__(self, steps_s: list[float]) -> None:
        self.now = 0.0
        self.steps = iter(steps_s)

    def __call__(self) -> float:
        self.now += next(self.steps, 0.0)
        return self.now


def _clock_for(latencies_ms: list[float]) -> SteppingClock:
    steps: list[float] = []
    for latency in latencies_ms:
        steps.extend([0.0, latency / 1000.0])
    return SteppingClock(steps)


def test_perfect_classifier_scores_one_with_a_diagonal_matrix() -> None:
    examples = [EvaluationExample(f"t{i}", label) for i, label in enumerate(LABEL_ORDER)]
    table = {e.text: (e.label, Move.PITCH if e.label is OTH else None) for e in examples}
    report = evaluate(examples, TableClassifier(table), clock=_clock_for([1.0] * 5))
    assert report.macro_f1 == 1.0
    assert report.accuracy == 1.0
    assert all(report.confusion[i][j] == (i == j) for i in range(5) for j in range(5))


def test_precision_recall_and_f1_follow_the_confusions() -> None:
    examples = [
        EvaluationExample("a", PRO),
        EvaluationExample("b", PRO),
        EvaluationExample("c", IMP),
        EvaluationExample("d", IMP),
    ]
    # one problem predicted as implication
    table = {"a": (PRO, None), "b": (IMP, None), "c": (IMP, None), "d": (IMP, None)}
    report = evaluate(examples, TableClassifier(table), clock=_clock_for([1.0] * 4))
    metrics = {m.label: m for m in report.per_label}
    assert metrics[PRO].precision == 1.0
    assert metrics[PRO].recall == 0.5
    assert metrics[PRO].f1 == pytest.approx(2 / 3)
    assert metrics[IMP].precision == pytest.approx(2 / 3)
    assert metrics[IMP].recall == 1.0
    assert metrics[IMP].f1 == pytest.approx(0.8)
    assert report.macro_f1 == pytest.approx((2 / 3 + 0.8) / 2)  # labels never seen don't count
    assert report.confusion[LABEL_ORDER.index(PRO)][LABEL_ORDER.index(IMP)] == 1
    assert report.accuracy == 0.75


def test_per_language_figures_appear_only_when_languages_are_given() -> None:
    examples = [
        EvaluationExample("en1", SIT, Language.EN),
        EvaluationExample("en2", PRO, Language.EN),
        EvaluationExample("zh1", SIT, Language.ZH),
        EvaluationExample("zh2", PRO, Language.ZH),
    ]
    table = {"en1": (SIT, None), "en2": (PRO, None), "zh1": (SIT, None), "zh2": (SIT, None)}
    classifier = TableClassifier(table)
    report = evaluate(examples, classifier, clock=_clock_for([1.0] * 4))
    by_language = {r.language: r for r in report.by_language}
    assert by_language[Language.EN].macro_f1 == 1.0
    assert by_language[Language.ZH].macro_f1 == pytest.approx((2 / 3 + 0.0) / 2)
    assert by_language[Language.ZH].count == 2
    assert classifier.languages == [Language.EN, Language.EN, Language.ZH, Language.ZH]
    unlabelled = [EvaluationExample("en1", SIT), EvaluationExample("zh1", SIT)]
    assert evaluate(unlabelled, classifier, clock=_clock_for([1.0] * 2)).by_language == ()


def test_latency_median_and_p99_come_from_the_clock() -> None:
    latencies = [float(n) for n in range(1, 101)]  # 1 ms .. 100 ms
    examples = [EvaluationExample(f"t{i}", SIT) for i in range(100)]
    table = {e.text: (SIT, None) for e in examples}
    report = evaluate(examples, TableClassifier(table), clock=_clock_for(latencies))
    assert report.latency_median_ms == pytest.approx(50.5)
    assert report.latency_p99_ms == pytest.approx(99.0)


def test_percentile_uses_nearest_rank() -> None:
    assert percentile([3.0, 1.0, 2.0], 0.5) == 2.0
    assert percentile([5.0], 0.99) == 5.0
    assert percentile([], 0.99) == 0.0


def test_finer_move_accuracy_counts_only_other_moves_with_a_gold_move() -> None:
    examples = [
        EvaluationExample("x", OTH, move=Move.PITCH),
        EvaluationExample("y", OTH, move=Move.RAPPORT),
        EvaluationExample("z", SIT),
    ]
    table = {"x": (OTH, Move.PITCH), "y": (OTH, Move.SUMMARY), "z": (SIT, None)}
    report = evaluate(examples, TableClassifier(table), clock=_clock_for([1.0] * 3))
    assert report.move_count == 2
    assert report.move_accuracy == 0.5


def test_report_last_line_is_macro_f1_with_three_decimals() -> None:
    examples = [EvaluationExample("a", PRO, Language.EN), EvaluationExample("b", IMP, Language.ZH)]
    table = {"a": (PRO, None), "b": (PRO, None)}
    report = evaluate(examples, TableClassifier(table), clock=_clock_for([0.1, 0.2]))
    text = format_report(report)
    last = text.splitlines()[-1]
    assert re.fullmatch(r"macro_f1=\d\.\d{3}", last)
    assert last == f"macro_f1={report.macro_f1:.3f}"
    assert "confusion matrix" in text
    assert "language zh" in text
    assert "latency per move: median" in text


def test_parse_examples_reads_jsonl_and_skips_blank_lines() -> None:
    lines = [
        '{"text": "How many sites?", "label": "situation", "lang": "en"}',
        "",
        '{"text": "我们的产品很好。", "label": "other", "move": "pitch", "lang": "zh"}',
        '{"text": "Any trouble?", "label": "problem"}',
    ]
    examples = parse_examples(lines)
    assert examples == [
        EvaluationExample("How many sites?", SIT, Language.EN),
        EvaluationExample("我们的产品很好。", OTH, Language.ZH, Move.PITCH),
        EvaluationExample("Any trouble?", PRO),
    ]


@pytest.mark.parametrize(
    "bad",
    [
        "not json",
        '{"label": "situation"}',
        '{"text": "x", "label": "opinion"}',
        '{"text": "  ", "label": "situation"}',
        '{"text": "x", "label": "situation", "lang": "fr"}',
        "[1, 2]",
    ],
)
def test_parse_examples_names_the_bad_line(bad: str) -> None:
    good = '{"text": "How many sites?", "label": "situation"}'
    with pytest.raises(ValueError, match="line 2"):
        parse_examples([good, bad])


def test_the_buyers_previous_turn_reaches_the_classifier_as_context() -> None:
    examples = [
        EvaluationExample("What does that cost you?", IMP, context="It breaks twice a week."),
        EvaluationExample("Hi there!", OTH, move=Move.RAPPORT),
    ]
    table = {e.text: (e.label, e.move) for e in examples}
    classifier = TableClassifier(table)
    report = evaluate(examples, classifier, clock=_clock_for([1.0] * 2))
    first, second = classifier.contexts
    assert first.buyer_said == "It breaks twice a week."
    assert first.previous == ("It breaks twice a week.",)
    assert first.problem_on_table  # the buyer just admitted a difficulty
    assert second is NO_CONTEXT
    assert report.with_context == 1
    assert "1 with the buyer's previous turn as context" in format_report(report)


@pytest.mark.parametrize(
    ("buyer_said", "on_table"),
    [
        ("Not very. Deliveries come in short on weekends.", True),
        ("We lost a tender there last year.", True),
        ("经常记错，发错货。", True),
        ("No, it's fine.", False),
        ("还行。", False),
        ("Eleven hotels, around four thousand rooms.", False),
    ],
)
def test_a_buyer_turn_puts_a_difficulty_on_the_table_when_it_admits_one(
    buyer_said: str, on_table: bool
) -> None:
    assert context_of(buyer_said).problem_on_table is on_table


def test_per_source_table_lists_the_weakest_source_first() -> None:
    examples = [
        EvaluationExample("a", SIT, source="dialogue:b"),
        EvaluationExample("b", PRO, source="dialogue:b"),
        EvaluationExample("c", SIT, source="dialogue:a"),
        EvaluationExample("d", PRO, source="dialogue:a"),
    ]
    table = {"a": (SIT, None), "b": (PRO, None), "c": (SIT, None), "d": (SIT, None)}
    report = evaluate(examples, TableClassifier(table), clock=_clock_for([1.0] * 4))
    by_source = {r.source: r for r in report.by_source}
    assert by_source["dialogue:b"].accuracy == 1.0
    assert by_source["dialogue:a"].accuracy == 0.5
    assert by_source["dialogue:a"].count == 2
    lines = format_report(report).splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("source"))
    assert lines[header + 1].startswith("dialogue:a")
    assert lines[header + 2].startswith("dialogue:b")
    assert lines[-1].startswith("macro_f1=")


def test_a_file_without_sources_prints_no_source_table() -> None:
    examples = [EvaluationExample("a", SIT)]
    report = evaluate(examples, TableClassifier({"a": (SIT, None)}), clock=_clock_for([1.0]))
    assert report.by_source == ()
    assert "source" not in format_report(report)


def test_parse_examples_reads_context_and_source() -> None:
    line = (
        '{"text": "What does that cost?", "label": "implication", "lang": "en",'
        ' "context": "It jams daily.", "source": "dialogue:en-01"}'
    )
    (example,) = parse_examples([line])
    assert example.context == "It jams daily."
    assert example.source == "dialogue:en-01"
    with pytest.raises(ValueError, match="line 1"):
        parse_examples(['{"text": "x", "label": "situation", "context": 3}'])
