"""Progress and cohort analytics from stored scorecards: per trainee and per cohort, score and
question mix over time, discovery rate, the problems most often missed, and how far the
classifier agrees with trainers' corrections."""

from collections import defaultdict
from dataclasses import dataclass
from uuid import UUID

from app.domain.accounts.access import Actor, UserRole, may_view_session
from app.domain.call.session import GuardTally, PracticeSession, guard_tally
from app.domain.classifier.agreement import Agreement, agreement
from app.domain.errors import NotFoundError
from app.domain.scorecard.cohort import (
    MissedProblem,
    ScoredCall,
    TraineeSummary,
    mean_of,
    most_missed,
    trainee_summary,
)
from app.domain.scorecard.progress import Progress, progress, session_point
from app.services.ports import SessionFilter, SessionStore, UserStore
from app.services.review import Review


@dataclass(frozen=True, slots=True)
class ProgressReport:
    progress: Progress
    sessions: tuple[PracticeSession, ...]  # ended, oldest first


@dataclass(frozen=True, slots=True)
class CohortReport:
    trainees: tuple[TraineeSummary, ...]  # by username
    sessions: int
    mean_overall: float | None
    most_missed_problems: tuple[MissedProblem, ...]
    agreement: Agreement
    guard: GuardTally  # what the faithfulness guard did to the model's replies (issue 13)


class Analytics:
    def __init__(self, *, sessions: SessionStore, users: UserStore, review: Review) -> None:
        self._sessions = sessions
        self._users = users
        self._review = review

    async def _ended(self, actor: Actor, query: SessionFilter) -> list[PracticeSession]:
        found = await self._review.sessions(actor, query)
        return sorted((s for s in found if s.is_ended), key=lambda s: s.ended_at or s.created_at)

    async def _scored(self, sessions: list[PracticeSession]) -> list[ScoredCall]:
        calls = []
        for session in sessions:
            card = await self._sessions.scorecard(session.id)
            if card is not None:
                ended = session.ended_at or session.created_at
                calls.append(
                    ScoredCall(session.id, session.owner.user_id, session.scenario_id, ended, card)
                )
        return calls

    async def progress(self, actor: Actor, trainee_id: UUID | None = None) -> ProgressReport:
        """A trainee's finished sessions over time: first, best, latest and the lift."""
        user_id = trainee_id or actor.id
        if user_id != actor.id and actor.role is UserRole.TRAINEE:
            raise NotFoundError("trainee")
        sessions = await self._ended(
            actor, SessionFilter(user_ids=frozenset({user_id}), status="ended", limit=1000)
        )
        visible = [s for s in sessions if may_view_session(actor, s.owner)]
        points = [
            session_point(str(c.session_id), c.ended_at, c.card)
            for c in await self._scored(visible)
        ]
        return ProgressReport(progress=progress(points), sessions=tuple(sessions))

    async def cohort(self, actor: Actor, cohort_id: UUID | None = None) -> CohortReport:
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
        calls = await self._scored(sessions)
        by_trainee: dict[UUID, list[ScoredCall]] = defaultdict(list)
        for call in calls:
            by_trainee[call.user_id].append(call)
        trainees = []
        for user_id, mine in by_trainee.items():
            user = await self._users.get(user_id)
            trainees.append(trainee_summary(user_id, user.username if user else "", mine))
        visible = actor.cohorts if actor.role is UserRole.TRAINER else None
        overrides = await self._sessions.all_overrides(cohorts or visible)
        pairs = [(o.old_label.label, o.new_label.label) for o in overrides]
        return CohortReport(
            trainees=tuple(sorted(trainees, key=lambda r: r.username)),
            sessions=len(sessions),
            mean_overall=mean_of([s.overall for s in sessions if s.overall is not None]),
            most_missed_problems=tuple(most_missed(calls)),
            agreement=agreement(pairs),
            guard=guard_tally(await self._sessions.reply_meta([s.id for s in sessions])),
        )
