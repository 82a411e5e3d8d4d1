"""Progress over sessions: overall score, question mix and discovery rate in time order, with
first, best and latest and the lift, as the pages chart them (issue 5, part 6)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from app.domain.labels import SpinLabel
from app.domain.scorecard.card import Scorecard


@dataclass(frozen=True, slots=True)
class SessionPoint:
    """One ended session. `ended_at` is a datetime or an ISO 8601 string; a naive one is
    taken as UTC. `mix` maps each label value to its share of the trainee's moves."""

    session_id: str
    ended_at: str | datetime
    overall: int
    mix: Mapping[str, float] = field(default_factory=dict)
    discovery_rate: float | None = None


@dataclass(frozen=True, slots=True)
class ProgressPoint:
    session_id: str
    ended_at: str  # ISO 8601, UTC
    overall: int
    mix: dict[str, float]
    discovery_rate: float | None


@dataclass(frozen=True, slots=True)
class Progress:
    """`lift` is latest minus first overall; `best_lift` best minus first; `discovery_lift`
    the same for the discovery rate when both ends have one. None without two sessions."""

    points: tuple[ProgressPoint, ...]  # oldest first
    first: ProgressPoint | None
    best: ProgressPoint | None
    latest: ProgressPoint | None
    lift: int | None
    best_lift: int | None
    discovery_lift: float | None


def session_point(session_id: str, ended_at: str | datetime, scorecard: Scorecard) -> SessionPoint:
    return SessionPoint(
        session_id=session_id,
        ended_at=ended_at,
        overall=scorecard.overall,
        mix={c.label.value: c.share for c in scorecard.mix.counts},
        discovery_rate=scorecard.discovery.rate,
    )


def _moment(value: str | datetime) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def progress(points: Sequence[SessionPoint]) -> Progress:
    """Raises ValueError for an `ended_at` that is not ISO 8601."""
    ordered = sorted(enumerate(points), key=lambda ip: (_moment(ip[1].ended_at), ip[0]))
    series = tuple(
        ProgressPoint(
            session_id=p.session_id,
            ended_at=_moment(p.ended_at).astimezone(UTC).isoformat(),
            overall=p.overall,
            mix={label.value: float(p.mix.get(label.value, 0.0)) for label in SpinLabel},
            discovery_rate=p.discovery_rate,
        )
        for _, p in ordered
    )
    if not series:
        return Progress((), None, None, None, None, None, None)
    first, latest = series[0], series[-1]
    best = max(series, key=lambda p: p.overall)  # the first to reach the best score
    several = len(series) > 1
    discovery_lift = None
    if several and first.discovery_rate is not None and latest.discovery_rate is not None:
        discovery_lift = round(latest.discovery_rate - first.discovery_rate, 4)
    return Progress(
        points=series,
        first=first,
        best=best,
        latest=latest,
        lift=latest.overall - first.overall if several else None,
        best_lift=best.overall - first.overall if several else None,
        discovery_lift=discovery_lift,
    )
