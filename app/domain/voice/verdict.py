"""What the faithfulness guard decides about a model's reply: its outcome, and each way a
reply can break faith with its direction (issue 13). Defined here, in the voice, so the call
record (app/domain/call/session.py) stores them without the voice depending on the call."""

from dataclasses import dataclass
from enum import StrEnum


class GuardOutcome(StrEnum):
    """What the faithfulness guard did with a model's reply (DESIGN.md §2, issue 13)."""

    PASSED = "passed"  # the first reply was faithful
    REGENERATED = "regenerated"  # it was not; the second, told why, was
    REPLACED = "replaced"  # neither was: the scripted voice's words were stored


class ViolationKind(StrEnum):
    FIGURE = "figure"  # a number the direction did not contain
    NAME = "name"  # a person, place or firm the direction did not contain
    LOCKED = "locked"  # content of a problem, implication or need still locked
    LANGUAGE = "language"  # not the session's language
    LENGTH = "length"  # longer than the direction allows
    EMPTY = "empty"


@dataclass(frozen=True, slots=True)
class Violation:
    """Why the guard refused a reply: the kind, and what was wrong (the figure, the name, a
    shared run of words, the count)."""

    kind: ViolationKind
    detail: str
