"""Discovery: the scenario's problems surfaced, implications developed and needs made
explicit, each out of its total, with what was missed (SPIN.md §2: only explicit needs predict
success in large sales)."""

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.director.state import DiscoveryState
from app.domain.language import Language
from app.domain.scenario import Scenario
from app.domain.scorecard.finding import Finding, FindingCode
from app.domain.scorecard.points import ComponentScore, ScorePart, component
from app.domain.scorecard.rubric import Component, Part, Rubric


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


def discovery_report(
    state: DiscoveryState, *, scenario: Scenario | None, language: Language, rubric: Rubric
) -> tuple[DiscoveryReport, ComponentScore, list[Finding]]:
    maximum = rubric.component_max[Component.DISCOVERY]
    if scenario is None:
        empty = Tally((), (), 0)
        report = DiscoveryReport(False, empty, empty, empty, None)
        score_ = component(Component.DISCOVERY, maximum, [], applicable=False)
        return report, score_, [Finding(FindingCode.DISCOVERY_NOT_APPLICABLE)]

    def item(
        item_id: str, title: str, unlocked: dict[str, int], parent: str | None
    ) -> DiscoveryItem:
        return DiscoveryItem(item_id, title, unlocked.get(item_id), parent)

    handed = {p for p, seq in state.problems.items() if seq < 0} | set(state.handed_problems)
    problems = [
        item(p.id, p.title(language), state.problems, None)
        for p in scenario.problems
        if p.id not in handed
    ]
    implications = [
        item(i.id, i.title(language), state.implications, p.id) for p, i in scenario.implications()
    ]
    needs = [item(n.id, n.title(language), state.needs, i.id) for _, i, n in scenario.needs()]
    tallies = [_tally(problems), _tally(implications), _tally(needs)]
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
    findings = [
        Finding(
            FindingCode.DISCOVERY_TALLY,
            tuple(sorted(s for p in parts for s in p.seqs)),
            {
                "problems": len(tallies[0].found),
                "problems_total": tallies[0].total,
                "implications": len(tallies[1].found),
                "implications_total": tallies[1].total,
                "needs": len(tallies[2].found),
                "needs_total": tallies[2].total,
            },
        )
    ]
    titles = {p.id: p.title(language) for p in scenario.problems}
    admitted = set(state.problems) | handed
    developed = set(state.implications)
    for missed in tallies[0].missed:
        findings.append(Finding(FindingCode.DISCOVERY_PROBLEM_MISSED, (), {"title": missed.title}))
    for missed in tallies[1].missed:
        if missed.parent_id in admitted:
            params = {"title": missed.title, "problem": titles[missed.parent_id or ""]}
            findings.append(Finding(FindingCode.DISCOVERY_IMPLICATION_MISSED, (), dict(params)))
    for missed in tallies[2].missed:
        if missed.parent_id in developed:
            findings.append(Finding(FindingCode.DISCOVERY_NEED_MISSED, (), {"title": missed.title}))
    return report, component(Component.DISCOVERY, maximum, parts), findings


def _tally(items: Sequence[DiscoveryItem]) -> Tally:
    found = tuple(sorted((i for i in items if i.seq is not None), key=lambda i: i.seq or 0))
    missed = tuple(i for i in items if i.seq is None)
    return Tally(found, missed, len(items))
