"""Evaluating understanding (issue 11): does a natural question about a scenario item unlock
that item, in the way a live call would reach it? Each probe runs a short call through the
real pipeline (classifier, reading, director): a warm-up a person would give, the scenario's
own questions to put the parent items on the table, then the probe. Negatives (areas with no
hidden problem, small talk) must reveal nothing."""

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol, TypeVar

from app.domain.director.state import DiscoveryState
from app.domain.language import Language
from app.domain.scenario import Scenario
from app.domain.style import StyleName


class Level(StrEnum):
    PROBLEM = "problem"
    IMPLICATION = "implication"
    NEED = "need"
    NEGATIVE = "negative"


@dataclass(frozen=True, slots=True)
class Probe:
    scenario: str
    item: str | None  # None for negatives
    level: Level
    language: Language
    text: str


# What a seller says before the first business question (an amiable buyer opens up only
# after some rapport, SPIN.md §4). Written for the harness; not from any evaluation file.
WARM_UP: Mapping[Language, tuple[str, ...]] = {
    Language.EN: ("Thanks for making time for me today.", "How have things been this week?"),
    Language.ZH: ("谢谢您今天抽时间见我。", "最近一切都还顺利吧？"),
}


class Buyer(Protocol):
    """One call's buyer as the harness drives it: `say` plays a trainee move through the
    pipeline under test and updates `state`."""

    @property
    def state(self) -> DiscoveryState: ...

    def say(self, text: str) -> object: ...


BuyerFactory = Callable[[Scenario, StyleName, Language], Buyer]


@dataclass(frozen=True, slots=True)
class ProbeResult:
    probe: Probe
    style: StyleName
    unlocked: bool  # the intended item (negatives: never)
    wrong: bool  # another item of the probe's level (negatives: anything) was unlocked
    parent_missing: bool  # the scenario's own question did not put the parent on the table


@dataclass(frozen=True, slots=True)
class Tally:
    runs: int
    unlocked: int
    wrong: int
    parent_missing: int

    def rate(self, count: int) -> float:
        return round(count / self.runs, 3) if self.runs else 0.0


@dataclass(frozen=True, slots=True)
class UnderstandingReport:
    by_level: dict[tuple[Level, Language], Tally]
    by_style: dict[tuple[Level, StyleName], Tally]
    results: tuple[ProbeResult, ...] = field(default=())


def parse_probes(lines: Iterable[str]) -> list[Probe]:
    """JSONL lines with `scenario`, `item`, `level`, `lang`, `text`; raises ValueError naming
    the line of the first bad one."""
    probes = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            probes.append(
                Probe(
                    scenario=str(data["scenario"]),
                    item=str(data["item"]) if data.get("item") else None,
                    level=Level(data["level"]),
                    language=Language(data["lang"]),
                    text=str(data["text"]),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"line {number}: {exc}") from exc
    return probes


def _unlocked(state: DiscoveryState) -> set[str]:
    return set(state.problems) | set(state.implications) | set(state.needs)


def _parents(scenario: Scenario, probe: Probe) -> list[tuple[str, str]]:
    """(item id, the scenario's own question for it) to ask before the probe, in order."""
    if probe.level is Level.IMPLICATION:
        for problem, implication in scenario.implications():
            if implication.id == probe.item:
                return [(problem.id, problem.example_question(probe.language))]
    if probe.level is Level.NEED:
        for problem, implication, need in scenario.needs():
            if need.id == probe.item:
                return [
                    (problem.id, problem.example_question(probe.language)),
                    (implication.id, implication.example_question(probe.language)),
                ]
    return []


def run_probe(probe: Probe, buyer: Buyer, scenario: Scenario, style: StyleName) -> ProbeResult:
    for line in WARM_UP[probe.language]:
        buyer.say(line)
    missing = False
    for item_id, question in _parents(scenario, probe):
        buyer.say(question)
        missing = missing or item_id not in _unlocked(buyer.state)
    before = _unlocked(buyer.state)
    buyer.say(probe.text)
    new = _unlocked(buyer.state) - before
    if probe.level is Level.NEGATIVE:
        return ProbeResult(probe, style, False, bool(new), missing)
    same_level = {
        Level.PROBLEM: set(buyer.state.problems),
        Level.IMPLICATION: set(buyer.state.implications),
        Level.NEED: set(buyer.state.needs),
    }[probe.level]
    unlocked = probe.item in new
    wrong = bool((new & same_level) - {probe.item or ""})
    return ProbeResult(probe, style, unlocked, wrong, missing)


def evaluate_understanding(
    probes: Sequence[Probe],
    scenarios: Mapping[str, Scenario],
    new_buyer: BuyerFactory,
    *,
    styles: Sequence[StyleName] = tuple(StyleName),
) -> UnderstandingReport:
    """Every probe with every style, each in a fresh call."""
    results = []
    for probe in probes:
        scenario = scenarios[probe.scenario]
        for style in styles:
            buyer = new_buyer(scenario, style, probe.language)
            results.append(run_probe(probe, buyer, scenario, style))
    return UnderstandingReport(
        by_level=_tally(results, lambda r: (r.probe.level, r.probe.language)),
        by_style=_tally(results, lambda r: (r.probe.level, r.style)),
        results=tuple(results),
    )


K = TypeVar("K", bound=tuple[object, object])


def _tally(results: Sequence[ProbeResult], key: Callable[[ProbeResult], K]) -> dict[K, Tally]:
    groups: dict[K, list[ProbeResult]] = {}
    for result in results:
        groups.setdefault(key(result), []).append(result)
    return {
        k: Tally(
            runs=len(rs),
            unlocked=sum(r.unlocked for r in rs),
            wrong=sum(r.wrong for r in rs),
            parent_missing=sum(r.parent_missing for r in rs),
        )
        for k, rs in sorted(groups.items(), key=lambda kv: str(kv[0]))
    }


def format_understanding(report: UnderstandingReport) -> str:
    """Per level and language: the unlock rate, the wrong-item (for negatives: false-reveal)
    rate and how often the parent could not be put on the table; then per style."""
    lines = [f"{'level':<12}{'lang':<6}{'runs':>6}{'unlock':>9}{'wrong':>8}{'no parent':>11}"]
    for (level, language), tally in report.by_level.items():
        unlock = "-" if level is Level.NEGATIVE else f"{tally.rate(tally.unlocked):.3f}"
        lines.append(
            f"{level.value:<12}{language.value:<6}{tally.runs:>6}{unlock:>9}"
            f"{tally.rate(tally.wrong):>8.3f}{tally.rate(tally.parent_missing):>11.3f}"
        )
    lines.append("")
    lines.append(f"{'level':<12}{'style':<12}{'runs':>6}{'unlock':>9}{'wrong':>8}")
    for (level, style), tally in report.by_style.items():
        unlock = "-" if level is Level.NEGATIVE else f"{tally.rate(tally.unlocked):.3f}"
        lines.append(
            f"{level.value:<12}{style.value:<12}{tally.runs:>6}{unlock:>9}"
            f"{tally.rate(tally.wrong):>8.3f}"
        )
    return "\n".join(lines)
