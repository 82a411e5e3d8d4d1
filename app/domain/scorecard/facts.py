"""What every scorecard component reads (the call's facts, gathered once) and the one shape
every component returns: its report, its points and its findings."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from app.domain.director.state import DiscoveryState
from app.domain.language import Language
from app.domain.scenario import Scenario
from app.domain.scorecard.finding import Finding
from app.domain.scorecard.moves import LabelledMove, first_explicit_need, labelled_moves
from app.domain.scorecard.points import ComponentScore
from app.domain.scorecard.rubric import Rubric
from app.domain.style import StyleName
from app.domain.transcript import Turn

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class CallFacts:
    """`scenario=None` is a real call (discovery and outcome do not apply); `style=None` an
    unknown buyer style (style adaptation does not apply). `first_need` is the seq of the
    move after which a need was first explicit (SPIN.md §2)."""

    transcript: Sequence[Turn]
    moves: Sequence[LabelledMove]
    state: DiscoveryState
    scenario: Scenario | None
    style: StyleName | None
    language: Language
    rubric: Rubric
    first_need: int | None


def call_facts(
    *,
    transcript: Sequence[Turn],
    state: DiscoveryState,
    scenario: Scenario | None,
    style: StyleName | None,
    language: Language,
    rubric: Rubric,
) -> CallFacts:
    moves = labelled_moves(transcript)
    return CallFacts(
        transcript=transcript,
        moves=moves,
        state=state,
        scenario=scenario,
        style=style,
        language=language,
        rubric=rubric,
        first_need=first_explicit_need(state, moves, scenario=scenario),
    )


@dataclass(frozen=True, slots=True)
class Assessed(Generic[R]):
    """One component's result: what it found, the points it gives, what it says."""

    report: R
    score: ComponentScore
    findings: tuple[Finding, ...]


class Scored(Protocol):
    """What the scorecard totals of any component, whatever its report."""

    @property
    def score(self) -> ComponentScore: ...

    @property
    def findings(self) -> tuple[Finding, ...]: ...
