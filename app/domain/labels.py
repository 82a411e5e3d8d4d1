"""The SPIN vocabulary (DESIGN.md §4): what kind of move a trainee made and how sure we are."""

from dataclasses import dataclass, field
from enum import StrEnum


class SpinLabel(StrEnum):
    SITUATION = "situation"
    PROBLEM = "problem"
    IMPLICATION = "implication"
    NEED_PAYOFF = "need_payoff"
    OTHER = "other"


class MoveKind(StrEnum):
    QUESTION = "question"
    STATEMENT = "statement"


class Move(StrEnum):
    """The finer move of a non-SPIN turn (label `other`); SPIN questions have move `None`."""

    PITCH = "pitch"
    RAPPORT = "rapport"
    SUMMARY = "summary"
    COMMITMENT = "commitment"
    OTHER = "other"


SPIN_QUESTIONS = (
    SpinLabel.SITUATION,
    SpinLabel.PROBLEM,
    SpinLabel.IMPLICATION,
    SpinLabel.NEED_PAYOFF,
)


@dataclass(frozen=True, slots=True)
class Label:
    """One move's label. `open` is None for statements; `source` names the classifier
    (`offline`, `llm:<model>`, `llm-fallback`) or `trainer` after an override."""

    kind: MoveKind
    label: SpinLabel
    move: Move | None
    open: bool | None
    confidence: float
    topics: tuple[str, ...] = field(default=())
    source: str = "offline"

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence {self.confidence} is outside [0, 1]")
        if self.label is SpinLabel.OTHER and self.move is None:
            raise ValueError("a move labelled `other` needs a finer move")
        if self.label is not SpinLabel.OTHER and self.move is not None:
            raise ValueError("a SPIN question has no finer move")
