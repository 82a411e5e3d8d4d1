"""A cohort's results from its ended calls' scorecards: per trainee the scores over time, the
mean question mix and discovery rate; for the cohort the problems most often missed."""

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import mean
from uuid import UUID

from app.domain.labels import SpinLabel
from app.domain.scorecard.card import Scorecard


@dataclass(frozen=True, slots=True)
class ScoredCall:
    """One ended call as analytics sees it."""

    session_id: UUID
    user_id: UUID
    scenario_id: str
    ended_at: datetime
    card: Scorecard


@dataclass(frozen=True, slots=True)
class ScorePoint:
    session_id: UUID
    overall: int
    ended_at: datetime


@dataclass(frozen=True, slots=True)
class TraineeSummary:
    """`mix` maps each label to its mean share of the trainee's moves."""

    user_id: UUID
    username: str
    sessions: int
    mean_overall: float | None
    latest_overall: int | None
    scores: tuple[ScorePoint, ...]  # oldest first
    mix: dict[SpinLabel, float]
    discovery_rate: float | None


@dataclass(frozen=True, slots=True)
class MissedProblem:
    scenario_id: str
    problem: str  # the problem's title in the call's language
    times: int


def mean_of(values: Sequence[float]) -> float | None:
    return round(mean(values), 2) if values else None


def trainee_summary(user_id: UUID, username: str, calls: Sequence[ScoredCall]) -> TraineeSummary:
    ordered = sorted(calls, key=lambda c: c.ended_at)
    shares: dict[SpinLabel, list[float]] = defaultdict(list)
    for call in ordered:
        for count in call.card.mix.counts:
            shares[count.label].append(count.share)
    rates = [c.card.discovery.rate for c in ordered if c.card.discovery.rate is not None]
    scores = tuple(ScorePoint(c.session_id, c.card.overall, c.ended_at) for c in ordered)
    return TraineeSummary(
        user_id=user_id,
        username=username,
        sessions=len(ordered),
        mean_overall=mean_of([s.overall for s in scores]),
        latest_overall=scores[-1].overall if scores else None,
        scores=scores,
        mix={label: mean_of(values) or 0.0 for label, values in shares.items()},
        discovery_rate=mean_of(rates),
    )


def most_missed(calls: Sequence[ScoredCall], *, limit: int = 10) -> list[MissedProblem]:
    missed: Counter[tuple[str, str]] = Counter()
    for call in calls:
        for item in call.card.discovery.problems.missed:
            missed[(call.scenario_id, item.title)] += 1
    return [MissedProblem(s, title, n) for (s, title), n in missed.most_common(limit)]
