"""Features, advantages and benefits: tagging the trainee's pitch statements (SPIN.md §2).

A feature says what the product is or has; an advantage what it does or can do; a benefit how
it meets a need the buyer has stated explicitly. Rackham found features early in a large sale
neutral to negative, advantages drawing objections, and benefits helping in every sale.
"""

from collections.abc import Mapping, Sequence
from enum import StrEnum

from app.domain.move_cues import ADVANTAGE, REFERENCE
from app.domain.reading.topics import contains_cue
from app.domain.scenario import NeedPayoff


class Fab(StrEnum):
    FEATURE = "feature"
    ADVANTAGE = "advantage"
    BENEFIT = "benefit"


def tag_pitch(
    text: str,
    *,
    topics: Sequence[str],
    explicit_needs: Sequence[NeedPayoff],
    need_parents: Mapping[str, tuple[str, str]],
    need_is_explicit: bool,
) -> tuple[Fab, str | None]:
    """Tag one pitch statement; returns the tag and, for a benefit, the need id it meets.

    `explicit_needs` are the scenario needs the buyer had stated before this pitch;
    `need_parents` maps a need id to its (problem id, implication id), so a pitch whose topics
    touch the need's implication or problem counts too. `need_is_explicit` says whether any
    need was explicit at all (a real call without a scenario knows no need's content: then a
    pitch counts as a benefit only when it refers back to the buyer's words)."""
    touched = set(topics)
    for need in explicit_needs:
        related = {need.id, *need_parents.get(need.id, ())}
        if touched & related or contains_cue(text, need.cues):
            return Fab.BENEFIT, need.id
    if need_is_explicit and REFERENCE.found_in(text):
        return Fab.BENEFIT, None
    if ADVANTAGE.found_in(text):
        return Fab.ADVANTAGE, None
    return Fab.FEATURE, None
