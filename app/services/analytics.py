"""Progress and cohort analytics from stored scorecards: per trainee and per cohort, score and
question mix over time, discovery rate, the problems most often missed, and how far the
classifier agrees with trainers' corrections."""

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from statistics import mean
from typing import Any
from uuid import UUID

from app.domain.accounts.access import Actor, UserRole, may_view_session
from app.domain.call.session import PracticeSession
from app.domain.classifier.agreement import agreement
from app.domain.errors import NotFoundError
from app.domain.scorecard.progress import progress, session_point_from_dict
from app.services.ports import SessionFilter, SessionStore, UserStore
from app.services.review import Review


class Analytics:
    def __init__(self, *, sessions: SessionStore, users: UserStore, review: Review) -> None:
        self._sessions = sessions
        self._users = users
        self._review = review

    async def _ended(self, actor: Actor, query: SessionFilter) -> list[PracticeSession]:
        found = await self._review.sessions(actor, query)
        return sorted((s for s in found if s.is_ended), key=lambda s: s.ended_at or s.created_at)

    async def progress(self, actor: Actor, trainee_id: UUID | None = None) -> dict[str, Any]:
        """A trainee's finished sessions over time: first, best, latest and the lift."""
        user_id = trainee_id or actor.id
        if user_id != actor.id and actor.role is UserRole.TRAINEE:
            raise NotFoundError("trainee")
        sessions = await self._ended(
            actor, SessionFilter(user_ids=frozenset({user_id}), status="ended", limit=1000)
        )
        points = []
        for session in sessions:
            if not may_view_session(actor, session.owner):
                continue
            card = await self._sessions.scorecard(session.id)
            if card is None:
                continue
            try:
                points.append(
                    session_point_from_dict(
                        str(session.id), session.ended_at or session.created_at, card
                    )
                )
            except ValueError:
                continue
        result = dict(progress(points).to_dict())
        result["sessions"] = [
            {
                "id": str(s.id),
                "scenario_id": s.scenario_id,
                "style": s.style.value,
                "language": s.language.value,
                "kind": s.kind.value,
                "overall": s.overall,
                "ended_at": (s.ended_at or s.created_at).isoformat(),
            }
            for s in sessions
        ]
        return result

    async def cohort(self, actor: Actor, cohort_id: UUID | None = None) -> dict[str, Any]:
        """Per trainee: sessions, mean and latest score, mean mix and discovery rate; the
        problems most often missed; classifier-versus-trainer agreement."""
        cohorts = None if cohort_id is None else frozenset({cohort_id})
        if (
            cohort_id is not None
            and actor.role is not UserRole.ADMIN
            and (cohort_id not in actor.cohorts)
        ):
            raise NotFoundError("cohort")
        sessions = await self._ended(
            actor, SessionFilter(cohort_ids=cohorts, status="ended", limit=5000)
        )
        by_trainee: dict[UUID, list[tuple[PracticeSession, Mapping[str, Any]]]] = defaultdict(list)
        missed: Counter[str] = Counter()
        for session in sessions:
            card = await self._sessions.scorecard(session.id)
            if card is None:
                continue
            by_trainee[session.owner.user_id].append((session, card))
            for item in _missed_problems(card):
                missed[f"{session.scenario_id}: {item}"] += 1
        trainees = []
        for user_id, rows in by_trainee.items():
            user = await self._users.get(user_id)
            trainees.append(_trainee_row(user.username if user else str(user_id), user_id, rows))
        visible = actor.cohorts if actor.role is UserRole.TRAINER else None
        overrides = await self._sessions.all_overrides(cohorts or visible)
        pairs = [(o.old_label.label, o.new_label.label) for o in overrides]
        return {
            "trainees": sorted(trainees, key=lambda r: r["username"]),
            "sessions": len(sessions),
            "mean_overall": _mean([s.overall for s in sessions if s.overall is not None]),
            "most_missed_problems": [
                {"problem": name, "times": times} for name, times in missed.most_common(10)
            ],
            "agreement": asdict(agreement(pairs)),
        }


def _mean(values: Sequence[float]) -> float | None:
    return round(mean(values), 2) if values else None


def _missed_problems(card: Mapping[str, Any]) -> list[str]:
    discovery = card.get("discovery")
    if not isinstance(discovery, Mapping):
        return []
    problems = discovery.get("problems")
    if not isinstance(problems, Mapping):
        return []
    missed = problems.get("missed")
    return [str(item.get("title")) for item in missed or [] if isinstance(item, Mapping)]


def _trainee_row(
    username: str, user_id: UUID, rows: Sequence[tuple[PracticeSession, Mapping[str, Any]]]
) -> dict[str, Any]:
    shares: dict[str, list[float]] = defaultdict(list)
    rates: list[float] = []
    for _, card in rows:
        mix = card.get("mix")
        counts = mix.get("counts") if isinstance(mix, Mapping) else None
        for row in counts if isinstance(counts, list) else []:
            if isinstance(row, Mapping) and isinstance(row.get("share"), int | float):
                shares[str(row.get("label"))].append(float(row["share"]))
        discovery = card.get("discovery")
        rate = discovery.get("rate") if isinstance(discovery, Mapping) else None
        if isinstance(rate, int | float):
            rates.append(float(rate))
    scores = [s.overall for s, _ in rows if s.overall is not None]
    return {
        "user_id": str(user_id),
        "username": username,
        "sessions": len(rows),
        "mean_overall": _mean(scores),
        "latest_overall": scores[-1] if scores else None,
        "scores": [
            {
                "session_id": str(s.id),
                "overall": s.overall,
                "ended_at": (s.ended_at or s.created_at).isoformat(),
            }
            for s, _ in rows
        ],
        "mix": {label: _mean(values) for label, values in shares.items()},
        "discovery_rate": _mean(rates),
    }
