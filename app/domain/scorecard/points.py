"""The overall 0-100 and its breakdown: each component's points and maximum, by part."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.scorecard.rubric import Component, Part


@dataclass(frozen=True, slots=True)
class ScorePart:
    part: Part
    points: float
    max_points: float
    seqs: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ComponentScore:
    """A component's points out of its maximum (weights in `rubric`). A component that
    does not apply scores nothing and counts for nothing in the overall."""

    component: Component
    points: float
    max_points: float
    applicable: bool
    parts: tuple[ScorePart, ...]


def component(
    name: Component, max_points: float, parts: Sequence[ScorePart], *, applicable: bool = True
) -> ComponentScore:
    points = min(max(sum(p.points for p in parts), 0.0), max_points) if applicable else 0.0
    return ComponentScore(name, round(points, 2), max_points, applicable, tuple(parts))


def overall(components: Sequence[ComponentScore]) -> int:
    """Points over the applicable maxima, as 0-100, rounded half up (so a change of whole
    points with every component applicable moves the overall by exactly that much)."""
    applicable = [c for c in components if c.applicable]
    total = sum(c.max_points for c in applicable)
    if total <= 0:
        return 0
    return math.floor(round(100 * sum(c.points for c in applicable) / total, 6) + 0.5)
