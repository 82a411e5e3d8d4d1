"""A call's transcript as the domain sees it: numbered turns, the trainee's ones labelled."""

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from app.domain.labels import Label


class Role(StrEnum):
    TRAINEE = "trainee"
    BUYER = "buyer"


@dataclass(frozen=True, slots=True)
class Turn:
    """`seq` is the turn's position in the call (0-based, both roles); the domain refers to
    turns by `seq`, the stores map it to database ids. Trainee turns carry a label; buyer
    turns carry the director's `reaction` key (which style behaviour the line showed)."""

    seq: int
    role: Role
    text: str
    label: Label | None = None
    reaction: str | None = None


@dataclass(frozen=True, slots=True)
class MoveNumbers:
    """Turn numbers shown to people count the trainee's own moves (issue 11): the trainee's
    n-th move is turn n, and a buyer turn belongs to the move it answered. `seqs` are the
    trainee moves' seqs in order; without them (a card stored before they were kept) the
    live calls' strict alternation (buyer 0, trainee 1, buyer 2, ...) is assumed."""

    seqs: tuple[int, ...] = ()

    @classmethod
    def of_transcript(cls, turns: Iterable[Turn]) -> "MoveNumbers":
        return cls(tuple(sorted(t.seq for t in turns if t.role is Role.TRAINEE)))

    def of(self, seq: int) -> int:
        if not self.seqs:
            return max((seq + 1) // 2, 1)
        return max(bisect_right(self.seqs, seq), 1)

    def text(self, seqs: Iterable[int], separator: str = ", ") -> str:
        """Several turns as people read them, each once, in order."""
        return separator.join(str(n) for n in sorted({self.of(s) for s in seqs}))
