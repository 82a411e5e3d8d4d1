"""The call's outcome: order, advance, continuation or no-sale, with the reason (SPIN.md §3.7)."""

from dataclasses import dataclass

from app.domain.director.state import Outcome
from app.domain.labels import Move
from app.domain.scorecard.facts import Assessed, CallFacts
from app.domain.scorecard.finding import Finding, FindingCode, term
from app.domain.scorecard.points import ScorePart, component
from app.domain.scorecard.rubric import Component, Part
from app.domain.transcript import Role


@dataclass(frozen=True, slots=True)
class OutcomeReport:
    applicable: bool
    outcome: Outcome | None
    reason: FindingCode
    advance_proposed_at: int | None
    seqs: tuple[int, ...]


def assess_outcome(facts: CallFacts) -> Assessed[OutcomeReport]:
    """SPIN.md §3.7: order, advance, continuation or no-sale, with the reason."""
    state, scenario, moves, transcript = facts.state, facts.scenario, facts.moves, facts.transcript
    language, rubric = facts.language, facts.rubric
    maximum = rubric.component_max[Component.OUTCOME]
    if scenario is None:
        report = OutcomeReport(False, None, FindingCode.OUTCOME_NOT_APPLICABLE, None, ())
        score = component(Component.OUTCOME, maximum, [], applicable=False)
        return Assessed(report, score, (Finding(FindingCode.OUTCOME_NOT_APPLICABLE),))
    proposed = state.advance_proposed_at
    commitments = tuple(m.seq for m in moves if m.label.move is Move.COMMITMENT)
    at = (proposed,) if proposed is not None else commitments
    params: dict[str, str | int | float] = {}
    outcome = state.outcome
    if outcome is Outcome.ORDER:
        reason = FindingCode.OUTCOME_ORDER
    elif outcome is Outcome.ADVANCE:
        reason = FindingCode.OUTCOME_ADVANCE
        params = {"advance": scenario.advance.description(language)}
    elif outcome is Outcome.CONTINUATION:
        reason = (
            FindingCode.OUTCOME_CONTINUATION_DEFERRED
            if proposed is not None
            else FindingCode.OUTCOME_CONTINUATION_NO_ADVANCE
        )
    elif state.ended_by_buyer:
        reason = FindingCode.OUTCOME_NO_SALE_BUYER_ENDED
        buyer = [t.seq for t in transcript if t.role is Role.BUYER]
        at = (max(buyer),) if buyer else ()
    elif proposed is not None:
        reason = FindingCode.OUTCOME_NO_SALE_REFUSED
    else:
        reason = FindingCode.OUTCOME_NO_SALE_NO_ADVANCE
    points = rubric.outcome_points[outcome]
    part = ScorePart(Part.OUTCOME, points, maximum, at)
    finding = Finding(reason, at, {"outcome": term(outcome), **params}, points - maximum)
    report = OutcomeReport(True, outcome, reason, proposed, at)
    return Assessed(report, component(Component.OUTCOME, maximum, [part]), (finding,))
