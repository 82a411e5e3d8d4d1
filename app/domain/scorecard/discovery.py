"""Discovery: the scenario's problems surfaced, implications developed and needs made
explicit, each out of its total, with what was missed (SPIN.md §2: only explicit needs predict
success in large sales)."""

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.director.state import DiscoveryState
from app.domain.language import Language
from app.domain.scenario import Scenario
from app.domain.scorecard.facts import Assessed, CallFacts
from app.domain.scorecard.finding import Finding, FindingCode, ParamValue, term
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
    """What the trainee did not get, attributed fairly (issue 11): "missed" only for items
    never asked about; an item asked about but held back names the turn and what would
    have opened the buyer. Implications are reported only of problems on the table, needs
    only of developed implications, unless the trainee asked for them."""
    state = facts.state
    titles = {p.id: p.title(facts.language) for p in scenario.problems}
    admitted = set(state.problems) | _handed(state)
    developed = set(state.implications)
    findings: list[Finding] = []
    for item in report.problems.missed:
        findings.append(_attributed(item, state, FindingCode.DISCOVERY_PROBLEM_MISSED, {}))
    for item in report.implications.missed:
        if item.parent_id in admitted or item.id in state.held_back:
            extra = {"problem": titles.get(item.parent_id or "", "")}
            code = FindingCode.DISCOVERY_IMPLICATION_MISSED
            findings.append(_attributed(item, state, code, extra))
    for item in report.needs.missed:
        if item.parent_id in developed or item.id in state.held_back:
            findings.append(_attributed(item, state, FindingCode.DISCOVERY_NEED_MISSED, {}))
    return findings


def _attributed(
    item: DiscoveryItem, state: DiscoveryState, missed: FindingCode, extra: dict[str, str]
) -> Finding:
    params: dict[str, ParamValue] = {"title": item.title, **extra}
    held = state.held_back.get(item.id)
    if held is not None:
        params["why"] = term(f"hold_{held.reason.value}")
        return Finding(FindingCode.DISCOVERY_HELD_BACK, (held.seq,), params)
    if item.id in state.hints:
        return Finding(FindingCode.DISCOVERY_HINTED, (state.hints[item.id],), params)
    if item.id in state.asked:
        return Finding(FindingCode.DISCOVERY_ASKED, (state.asked[item.id],), params)
    return Finding(missed, (), params)


def _tally(items: Sequence[DiscoveryItem]) -> Tally:
    found = tuple(sorted((i for i in items if i.seq is not None), key=lambda i: i.seq or 0))
    missed = tuple(i for i in items if i.seq is None)
    return Tally(found, missed, len(items))
