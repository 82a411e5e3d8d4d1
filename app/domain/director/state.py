"""The discovery state of one call: what the trainee has uncovered and how the buyer feels.

The director updates it move by move; the scorecard reads it. The stores persist it as
JSON after every move (app/domain/codec.py).
"""

from dataclasses import dataclass, field
from enum import StrEnum


class Stance(StrEnum):
    OPEN = "open"
    GUARDED = "guarded"
    IMPATIENT = "impatient"
    WARMING = "warming"


class Outcome(StrEnum):
    """Call outcomes in large sales (SPIN.md §3.7)."""

    ORDER = "order"
    ADVANCE = "advance"
    CONTINUATION = "continuation"
    NO_SALE = "no_sale"


@dataclass(slots=True)
class Mood:
    """The buyer's mood after one trainee move, kept for the timeline and the scorecard."""

    seq: int
    stance: Stance
    patience: int
    trust: int


class HoldReason(StrEnum):
    """Why the buyer did not give an item the trainee asked about (issue 11: the scorecard
    says so instead of calling it missed)."""

    RAPPORT = "rapport"  # an amiable buyer admits problems only after some rapport (SPIN.md §4)
    NOT_DEVELOPED = "not_developed"  # a need-payoff before its implication (SPIN.md §2)


@dataclass(slots=True)
class HeldBack:
    seq: int
    reason: HoldReason


@dataclass(slots=True)
class DiscoveryState:
    """Ids map to the `seq` of the trainee move that unlocked them. Patience and trust are
    0-100. `pitches_before_need` holds seqs of pitches made while no need was explicit;
    `objections` holds (objection id, seq of the buyer turn that raised it).

    `hints` maps a problem id to the seq of the move after which the buyer let it slip
    (without details); `handed_problems` lists problems a drill handed to the trainee (their
    seq in `problems` is -1, and the scorecard should not credit them); `rapport_credit` is
    the rapport that currently counts towards disclosure (reset when the buyer withdraws);
    `order_accepted` is set when the buyer agrees to the order (SPIN.md §3.7).

    `focus` is the item the conversation is on (the last one asked about or revealed), so a
    vague follow-up attaches to it; `asked` maps an item to the seq of the first move about
    it; `held_back` the items the buyer declined to give, with the move and the reason."""

    facts: dict[str, int] = field(default_factory=dict)
    problems: dict[str, int] = field(default_factory=dict)
    implications: dict[str, int] = field(default_factory=dict)
    needs: dict[str, int] = field(default_factory=dict)
    patience: int = 70
    trust: int = 40
    stance: Stance = Stance.GUARDED
    situation_streak: int = 0
    rapport_moves: int = 0
    pitches_before_need: list[int] = field(default_factory=list)
    objections: list[tuple[str, int]] = field(default_factory=list)
    advance_proposed_at: int | None = None
    advance_accepted: bool = False
    ended_by_buyer: bool = False
    outcome: Outcome = Outcome.NO_SALE
    moods: list[Mood] = field(default_factory=list)
    moves: int = 0
    hints: dict[str, int] = field(default_factory=dict)
    handed_problems: list[str] = field(default_factory=list)
    rapport_credit: int = 0
    order_accepted: bool = False
    focus: str | None = None
    asked: dict[str, int] = field(default_factory=dict)
    held_back: dict[str, HeldBack] = field(default_factory=dict)

    def on_table(self, problem_id: str) -> bool:
        """Admitted, or let slip as a hint: either way the buyer cannot deny it."""
        return problem_id in self.problems or problem_id in self.hints
