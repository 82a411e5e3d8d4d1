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


@dataclass(frozen=True, slots=True)
class MoveContext:
    """What a label may depend on besides the move's words (SPIN.md §1: an implication
    develops a problem already on the table). `previous` holds the call's earlier turns,
    oldest first, either role; `buyer_said` the buyer's turn just before the move;
    `problem_on_table` whether the buyer has admitted or hinted a difficulty."""

    previous: tuple[str, ...] = ()
    buyer_said: str = ""
    problem_on_table: bool = False
    # Whether `buyer_said` admitted or hinted a difficulty, when the call's discovery state
    # knows (a live call); None leaves it to the words (a transcript, an evaluation file).
    buyer_admitted: bool | None = None


NO_CONTEXT = MoveContext()


SPIN_QUESTIONS = (
    SpinLabel.SITUATION,
    SpinLabel.PROBLEM,
    SpinLabel.IMPLICATION,
    SpinLabel.NEED_PAYOFF,
)


@dataclass(frozen=True, slots=True)
class Label:
    """One move's label. `open` is None for statements; `source` names the classifier
    (`offline`, `llm:<model>:<prompt hash>`, `offline:llm-fallback:<reason>`) or `trainer`
    after an override. `scores` is the classifier's calibrated distribution over the five
    labels (empty when unknown, e.g. a trainer's label); `secondary` the non-question part of
    a compound move ("Our tool does Y. How many users?" is a question with a pitch)."""

    kind: MoveKind
    label: SpinLabel
    move: Move | None
    open: bool | None
    confidence: float
    topics: tuple[str, ...] = field(default=())
    source: str = "offline"
    scores: dict[SpinLabel, float] = field(default_factory=dict)
    secondary: Move | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence {self.confidence} is outside [0, 1]")
        if self.label is SpinLabel.OTHER and self.move is None:
            raise ValueError("a move labelled `other` needs a finer move")
        if self.label is not SpinLabel.OTHER and self.move is not None:
            raise ValueError("a SPIN question has no finer move")
