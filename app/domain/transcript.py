"""A call's transcript as the domain sees it: numbered turns, the trainee's ones labelled."""

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
