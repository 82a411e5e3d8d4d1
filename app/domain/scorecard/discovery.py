"""Discovery: the scenario's problems surfaced, implications developed and needs made
explicit, each out of its total, with what was missed (SPIN.md §2: only explicit needs predict
success in large sales)."""

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.director.state import DiscoveryState
from app.domain.language import Language
from app.domain.scenario import Scenario
from app.domain.scorecard.facts import Assessed, CallFacts
from app.domain.scorecard.finding import Finding, FindingCode
from app.domain.scorecard.points import ScorePart, component
from app.domain.scorecard.rubric import Component, Part


@dataclass(frozen=True, slots=True)
class DiscoveryItem:
    """A scenario problem, implication or need; `seq` is the move that unlocked it (None when
    missed), `parent_id` its problem or implication."""

    id: str
    title: str
    seq: int | None
    parent_id: str | None


@dataclass(frozen=True, slots=True)
class Tally:
    found: tuple[DiscoveryItem, ...]
    missed: tuple[DiscoveryItem, ...]
    total: int


@dataclass(frozen=True, slots=True)
class DiscoveryReport:
    """Out of the scenario's totals; problems a drill handed over count in neither."""

    applicable: bool
    problems: Tally
    implications: Tally
    needs: Tally
    rate: float | None  # everything unlocked over everything there was


def assess_discovery(facts: CallFacts) -> Assessed[DiscoveryReport]:
    scenario, rubric = facts.scenario, facts.rubric
    maximum = rubric.component_max[Component.DISCOVERY]
    if scenario is None:
        empty = Tally((), (), 0)
        report = DiscoveryReport(False, empty, empty, empty, None)
        score = component(Component.DISCOVERY, maximum, [], applicable=False)
        return Assessed(report, score, (Finding(FindingCode.DISCOVERY_NOT_APPLICABLE),))
    tallies = _tallies(scenario, facts.state, facts.language)
    weights = [
        (Part.DISCOVERY_PROBLEMS, rubric.problems_points),
        (Part.DISCOVERY_IMPLICATIONS, rubric.implications_points),
        (Part.DISCOVERY_NEEDS, rubric.needs_points),
    ]
    parts = [
        ScorePart(
            part,
            round(weight * len(t.found) / t.total, 2) if t.total else 0.0,
            weight,
            tuple(sorted(i.seq for i in t.found if i.seq is not None)),
        )
        for (part, weight), t in zip(weights, tallies, strict=True)
    ]
    total = sum(t.total for t in tallies)
    rate = round(sum(len(t.found) for t in tallies) / total, 4) if total else None
    report = DiscoveryReport(True, tallies[0], tallies[1], tallies[2], rate)
    findings = [_tally_finding(tallies, parts), *_missed(report, scenario, facts)]
    return Assessed(report, component(Component.DISCOVERY, maximum, parts), tuple(findings))


def _handed(state: DiscoveryState) -> set[str]:
    """Problems a drill handed over: not the trainee's discovery."""
    return {p for p, seq in state.problems.items() if seq < 0} | set(state.handed_problems)


def _tallies(scenario: Scenario, state: DiscoveryState, language: Language) -> list[Tally]:
    def item(
        item_id: str, title: str, unlocked: dict[str, int], parent: str | None
    ) -> DiscoveryItem:
        return DiscoveryItem(item_id, title, unlocked.get(item_id), parent)

    handed = _handed(state)
    problems = [
        item(p.id, p.title(language), state.problems, None)
        for p in scenario.problems
        if p.id not in handed
    ]
    implications = [
        item(i.id, i.title(language), state.implications, p.id) for p, i in scenario.implications()
    ]
    needs = [item(n.id, n.title(language), state.needs, i.id) for _, i, n in scenario.needs()]
    return [_tally(problems), _tally(implications), _tally(needs)]


def _tally_finding(tallies: Sequence[Tally], parts: Sequence[ScorePart]) -> Finding:
    problems, implications, needs = tallies
    return Finding(
        FindingCode.DISCOVERY_TALLY,
        tuple(sorted(s for p in parts for s in p.seqs)),
        {
            "problems": len(problems.found),
            "problems_total": problems.total,
            "implications": len(implications.found),
            "implications_total": implications.total,
            "needs": len(needs.found),
            "needs_total": needs.total,
        },
    )


def _missed(report: DiscoveryReport, scenario: Scenario, facts: CallFacts) -> list[Finding]:
    """Implications only of problems on the table, needs only of developed implications."""
    titles = {p.id: p.title(facts.language) for p in scenario.problems}
    admitted = set(facts.state.problems) | _handed(facts.state)
    developed = set(facts.state.implications)
    findings = [
        Finding(FindingCode.DISCOVERY_PROBLEM_MISSED, (), {"title": missed.title})
        for missed in report.problems.missed
    ]
    for missed in report.implications.missed:
        if missed.parent_id in admitted:
            params = {"title": missed.title, "problem": titles[missed.parent_id or ""]}
            findings.append(Finding(FindingCode.DISCOVERY_IMPLICATION_MISSED, (), dict(params)))
    for missed in report.needs.missed:
        if missed.parent_id in developed:
            findings.append(Finding(FindingCode.DISCOVERY_NEED_MISSED, (), {"title": missed.title}))
    return findings


def _tally(items: Sequence[DiscoveryItem]) -> Tally:
    found = tuple(sorted((i for i in items if i.seq is not None), key=lambda i: i.seq or 0))
    missed = tuple(i for i in items if i.seq is None)
    return Tally(found, missed, len(items))
