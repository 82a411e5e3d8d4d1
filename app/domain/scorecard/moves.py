"""The trainee's labelled moves in call order, and how they relate to the buyer's turns and
the discovery state: what every scorecard component reads."""

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.director.state import DiscoveryState
from app.domain.labels import Label, SpinLabel
from app.domain.scenario import Scenario
from app.domain.transcript import Role, Turn


@dataclass(frozen=True, slots=True)
class LabelledMove:
    seq: int
    text: str
    label: Label


def labelled_moves(transcript: Sequence[Turn]) -> list[LabelledMove]:
    """The trainee's labelled turns in call order; an unlabelled trainee turn is skipped."""
    moves = [
        LabelledMove(t.seq, t.text, t.label)
        for t in transcript
        if t.role is Role.TRAINEE and t.label is not None
    ]
    return sorted(moves, key=lambda m: m.seq)


def first_explicit_need(
    state: DiscoveryState, moves: Sequence[LabelledMove], *, scenario: Scenario | None
) -> int | None:
    """The seq of the move after which a need was first explicit (SPIN.md §2), or None.

    With a scenario (or any need in the state) the director's record decides. A real call
    has none: the first need-payoff question stands in for it, since that is the question
    that makes the buyer state a need."""
    unlocked = [seq for seq in state.needs.values() if seq >= 0]
    if unlocked:
        return min(unlocked)
    if scenario is not None:
        return None
    return next((m.seq for m in moves if m.label.label is SpinLabel.NEED_PAYOFF), None)


def buyer_reply(transcript: Sequence[Turn], seq: int) -> Turn | None:
    """The buyer turn answering the trainee move at `seq`: the first buyer turn after it,
    provided no other trainee move came between."""
    for turn in sorted(transcript, key=lambda t: t.seq):
        if turn.seq <= seq:
            continue
        return turn if turn.role is Role.BUYER else None
    return None
