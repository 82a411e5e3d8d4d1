"""Evaluation of a move classifier against labelled moves (DESIGN.md §6, `spin-practice eval`):
per-label precision/recall/F1, macro-F1, confusion matrix, latency, and per-language and
per-source figures. A move may carry the buyer's turn before it (`context`)."""

import json
import math
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from app.domain.classifier.cues import buyer_admits
from app.domain.classifier.features import normalise
from app.domain.labels import NO_CONTEXT, Label, Move, MoveContext, SpinLabel
from app.domain.language import Language

LABEL_ORDER = tuple(SpinLabel)


class MoveClassifier(Protocol):
    """What `evaluate` calls: `OfflineClassifier.classify` conforms, and so can a judge."""

    def __call__(
        self, text: str, *, context: MoveContext = ..., language: Language | None = None
    ) -> Label: ...


@dataclass(frozen=True, slots=True)
class EvaluationExample:
    """One labelled move. `context` is the buyer's turn just before it ("" when the seller
    opens the call or the file has none); `source` groups moves (e.g. one dialogue)."""

    text: str
    label: SpinLabel
    language: Language | None = None
    move: Move | None = None
    context: str = ""
    source: str | None = None


def context_of(buyer_said: str) -> MoveContext:
    """The context one labelled line can give its move: the buyer's previous turn, and
    whether it put a difficulty on the table."""
    if not buyer_said.strip():
        return NO_CONTEXT
    return MoveContext(
        previous=(buyer_said,),
        buyer_said=buyer_said,
        problem_on_table=buyer_admits(normalise(buyer_said)),
    )


@dataclass(frozen=True, slots=True)
class CallLine:
    """What `contexts_in_calls` reads of a labelled line."""

    text: str
    context: str = ""
    source: str | None = None


# A difficulty stays on the table for this many buyer turns: the conversation's focus moves
# on, and a question several turns later may open a new problem rather than develop the old.
FOCUS_BUYER_TURNS = 2


def contexts_in_calls(lines: Sequence[CallLine]) -> list[MoveContext]:
    """Each line's context. Lines of one `source` are one call, in file order, so a move
    gets the call so far as a trainee's move does (DESIGN.md §2): the earlier turns, the
    buyer's last turn, and a difficulty on the table when one of the buyer's last
    FOCUS_BUYER_TURNS turns admitted one. A line without a source gets its own buyer turn
    only (`context_of`)."""
    history: dict[str, list[str]] = {}
    buyer_turns: dict[str, list[bool]] = {}
    contexts: list[MoveContext] = []
    for line in lines:
        if line.source is None:
            contexts.append(context_of(line.context))
            continue
        turns = history.setdefault(line.source, [])
        admissions = buyer_turns.setdefault(line.source, [])
        if line.context.strip():
            turns.append(line.context)
            admissions.append(buyer_admits(normalise(line.context)))
        contexts.append(
            MoveContext(
                previous=tuple(turns),
                buyer_said=line.context,
                problem_on_table=any(admissions[-FOCUS_BUYER_TURNS:]),
            )
        )
        turns.append(line.text)
    return contexts


@dataclass(frozen=True, slots=True)
class LabelMetrics:
    label: SpinLabel
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class LanguageReport:
    language: Language
    count: int
    accuracy: float
    macro_f1: float
    per_label: tuple[LabelMetrics, ...]


@dataclass(frozen=True, slots=True)
class SourceReport:
    source: str
    count: int
    accuracy: float
    macro_f1: float


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    """`confusion[i][j]` counts moves expected `LABEL_ORDER[i]` and predicted
    `LABEL_ORDER[j]`. Latencies are per move, in milliseconds."""

    count: int
    accuracy: float
    macro_f1: float
    per_label: tuple[LabelMetrics, ...]
    confusion: tuple[tuple[int, ...], ...]
    latency_median_ms: float
    latency_p99_ms: float
    by_language: tuple[LanguageReport, ...]
    move_accuracy: float | None
    move_count: int
    by_source: tuple[SourceReport, ...] = ()
    with_context: int = 0


def parse_examples(lines: Iterable[str]) -> list[EvaluationExample]:
    """Read JSONL lines with `text`, `label` and optional `lang`, `move`, `context` (the
    buyer's previous turn) and `source`; blank lines are skipped. Raises ValueError naming
    the (1-based) line of the first bad one."""
    examples: list[EvaluationExample] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise TypeError("not a JSON object")
            text = record["text"]
            if not isinstance(text, str) or not text.strip():
                raise ValueError("empty text")
            lang = record.get("lang")
            move = record.get("move")
            context = record.get("context") or ""
            source = record.get("source")
            if not isinstance(context, str) or not isinstance(source, str | None):
                raise TypeError("context and source must be strings")
            examples.append(
                EvaluationExample(
                    text=text,
                    label=SpinLabel(record["label"]),
                    language=Language(lang) if lang else None,
                    move=Move(move) if move else None,
                    context=context,
                    source=source or None,
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"line {number}: {exc}") from exc
    return examples


def _label_metrics(
    pairs: Sequence[tuple[SpinLabel, SpinLabel]],
) -> tuple[tuple[LabelMetrics, ...], float, float]:
    """Per-label metrics, macro-F1 over the labels seen in either column, and accuracy."""
    metrics: list[LabelMetrics] = []
    seen = {gold for gold, _ in pairs} | {predicted for _, predicted in pairs}
    for label in LABEL_ORDER:
        true_positive = sum(1 for gold, predicted in pairs if gold is label and predicted is label)
        predicted_count = sum(1 for _, predicted in pairs if predicted is label)
        support = sum(1 for gold, _ in pairs if gold is label)
        precision = true_positive / predicted_count if predicted_count else 0.0
        recall = true_positive / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        metrics.append(LabelMetrics(label, precision, recall, f1, support))
    scored = [m.f1 for m in metrics if m.label in seen]
    macro = sum(scored) / len(scored) if scored else 0.0
    accuracy = (
        sum(1 for gold, predicted in pairs if gold is predicted) / len(pairs) if pairs else 0.0
    )
    return tuple(metrics), macro, accuracy


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (`fraction` in (0, 1]); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def evaluate(
    examples: Sequence[EvaluationExample],
    classify: MoveClassifier,
    *,
    clock: Callable[[], float],
) -> EvaluationReport:
    """Classify every example (passing its language and context when known) and score the
    labels. `clock` returns seconds (e.g. `time.perf_counter`); each call is timed on its
    own."""
    pairs: list[tuple[SpinLabel, SpinLabel]] = []
    latencies_ms: list[float] = []
    move_hits = 0
    move_count = 0
    by_language: dict[Language, list[tuple[SpinLabel, SpinLabel]]] = {}
    by_source: dict[str, list[tuple[SpinLabel, SpinLabel]]] = {}
    contexts = contexts_in_calls([CallLine(e.text, e.context, e.source) for e in examples])
    for example, context in zip(examples, contexts, strict=True):
        started = clock()
        result = classify(example.text, context=context, language=example.language)
        latencies_ms.append((clock() - started) * 1000.0)
        pairs.append((example.label, result.label))
        if example.language is not None:
            by_language.setdefault(example.language, []).append((example.label, result.label))
        if example.source is not None:
            by_source.setdefault(example.source, []).append((example.label, result.label))
        if example.label is SpinLabel.OTHER and example.move is not None:
            move_count += 1
            move_hits += result.move is example.move
    per_label, macro, accuracy = _label_metrics(pairs)
    index = {label: i for i, label in enumerate(LABEL_ORDER)}
    confusion = [[0] * len(LABEL_ORDER) for _ in LABEL_ORDER]
    for gold, predicted in pairs:
        confusion[index[gold]][index[predicted]] += 1
    languages = []
    for language in Language:
        if language in by_language:
            lang_metrics, lang_macro, lang_accuracy = _label_metrics(by_language[language])
            languages.append(
                LanguageReport(
                    language, len(by_language[language]), lang_accuracy, lang_macro, lang_metrics
                )
            )
    return EvaluationReport(
        count=len(pairs),
        accuracy=accuracy,
        macro_f1=macro,
        per_label=per_label,
        confusion=tuple(tuple(row) for row in confusion),
        latency_median_ms=statistics.median(latencies_ms) if latencies_ms else 0.0,
        latency_p99_ms=percentile(latencies_ms, 0.99),
        by_language=tuple(languages),
        move_accuracy=move_hits / move_count if move_count else None,
        move_count=move_count,
        by_source=tuple(_source_reports(by_source)),
        with_context=sum(1 for example in examples if example.context.strip()),
    )


def _source_reports(
    by_source: Mapping[str, Sequence[tuple[SpinLabel, SpinLabel]]],
) -> list[SourceReport]:
    reports = []
    for source in sorted(by_source):
        _, macro, accuracy = _label_metrics(by_source[source])
        reports.append(SourceReport(source, len(by_source[source]), accuracy, macro))
    return reports


def _metrics_table(metrics: Sequence[LabelMetrics], indent: str = "") -> list[str]:
    lines = [f"{indent}{'label':<12} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}"]
    lines.extend(
        f"{indent}{m.label.value:<12} {m.precision:>9.3f} {m.recall:>7.3f} {m.f1:>6.3f}"
        f" {m.support:>8d}"
        for m in metrics
        if m.support or m.precision
    )
    return lines


def _source_table(sources: Sequence[SourceReport]) -> list[str]:
    """One line per source, worst macro-F1 first: where the classifier struggles."""
    if not sources:
        return []
    width = max(12, *(len(s.source) for s in sources))
    lines = ["", f"{'source':<{width}} {'moves':>6} {'accuracy':>9} {'macro-F1':>9}"]
    for source in sorted(sources, key=lambda s: (s.macro_f1, s.source)):
        lines.append(
            f"{source.source:<{width}} {source.count:>6d} {source.accuracy:>9.3f}"
            f" {source.macro_f1:>9.3f}"
        )
    return lines


def format_report(report: EvaluationReport) -> str:
    """The report `spin-practice eval` prints; its last line is exactly `macro_f1=0.xxx`."""
    lines = [f"moves: {report.count}"]
    if report.with_context:
        lines[0] += f" ({report.with_context} with the buyer's previous turn as context)"
    lines.extend(_metrics_table(report.per_label))
    lines.append(f"accuracy: {report.accuracy:.3f}  macro-F1: {report.macro_f1:.3f}")
    lines.append("")
    lines.append("confusion matrix (rows: expected, columns: predicted)")
    short = [label.value[:11] for label in LABEL_ORDER]
    lines.append(" " * 12 + "".join(f"{name:>12}" for name in short))
    for name, row in zip(short, report.confusion, strict=True):
        lines.append(f"{name:<12}" + "".join(f"{count:>12d}" for count in row))
    if report.move_accuracy is not None:
        lines.append("")
        lines.append(
            f"finer move of `other` moves: accuracy {report.move_accuracy:.3f}"
            f" on {report.move_count}"
        )
    for language_report in report.by_language:
        lines.append("")
        lines.append(
            f"language {language_report.language.value}: moves {language_report.count}"
            f"  accuracy {language_report.accuracy:.3f}"
            f"  macro-F1 {language_report.macro_f1:.3f}"
        )
        lines.extend(_metrics_table(language_report.per_label, indent="  "))
    lines.extend(_source_table(report.by_source))
    lines.append("")
    lines.append(
        f"latency per move: median {report.latency_median_ms:.3f} ms,"
        f" p99 {report.latency_p99_ms:.3f} ms"
    )
    lines.append(f"macro_f1={report.macro_f1:.3f}")
    return "\n".join(lines)
