"""Assignments: a trainer asks a cohort or one trainee for a call (scenario, style, language,
mode) or a drill, with an optional due date; trainees see theirs first on the home page and
start them there; trainers see each trainee's completion with the best and latest score."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID, uuid4

from app.domain.accounts.access import Actor, UserRole, may_manage_cohort
from app.domain.accounts.users import User
from app.domain.call.assignment import (
    MAX_NOTE_CHARS,
    Assignment,
    AssignmentStatus,
    Completion,
    completion,
)
from app.domain.call.session import DrillKind, Mode, PracticeSession, SessionOptions
from app.domain.errors import ForbiddenError, NotFoundError, ValidationFailedError
from app.domain.language import Language
from app.domain.style import StyleName
from app.services.conversation import Conversation
from app.services.ports import (
    AssignmentStore,
    CohortStore,
    ScenarioCatalog,
    SessionFilter,
    SessionStore,
    UserStore,
)
from app.services.practice_loops import PracticeLoops

STYLE_CHOICES = frozenset({*(s.value for s in StyleName), "hidden"})
MAX_LISTED_CALLS = 5000


@dataclass(frozen=True, slots=True)
class AssignmentDraft:
    """What a trainer fills in. Exactly one of `cohort_id` and `user_id`."""

    scenario_id: str
    style: str
    language: Language
    mode: Mode
    drill: DrillKind | None = None
    cohort_id: UUID | None = None
    user_id: UUID | None = None
    due_on: date | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class TraineeCompletion:
    user: User
    completion: Completion


@dataclass(frozen=True, slots=True)
class AssignmentReport:
    assignment: Assignment
    trainees: list[TraineeCompletion]


class Assignments:
    def __init__(
        self,
        *,
        assignments: AssignmentStore,
        users: UserStore,
        cohorts: CohortStore,
        sessions: SessionStore,
        catalog: ScenarioCatalog,
        conversation: Conversation,
        loops: PracticeLoops,
        clock: Callable[[], datetime],
    ) -> None:
        self._assignments = assignments
        self._users = users
        self._cohorts = cohorts
        self._sessions = sessions
        self._catalog = catalog
        self._conversation = conversation
        self._loops = loops
        self._clock = clock

    def today(self) -> date:
        return self._clock().date()

    async def _may_assign_to(self, actor: Actor, draft: AssignmentDraft) -> None:
        if (draft.cohort_id is None) == (draft.user_id is None):
            raise ValidationFailedError("assign to a cohort or to one trainee")
        if draft.cohort_id is not None:
            if await self._cohorts.cohort(draft.cohort_id) is None or not may_manage_cohort(
                actor, draft.cohort_id
            ):
                raise NotFoundError("cohort")
            return
        assert draft.user_id is not None
        person = await self._users.get(draft.user_id)
        if person is None or not self._runs(actor, person):
            raise NotFoundError("user")
        if person.role is not UserRole.TRAINEE:
            raise ValidationFailedError("assignments are for trainees")

    @staticmethod
    def _runs(actor: Actor, person: User) -> bool:
        """Admins run everyone; trainers the people in their cohorts."""
        return actor.role is UserRole.ADMIN or (
            person.cohort_id is not None and may_manage_cohort(actor, person.cohort_id)
        )

    async def create(self, actor: Actor, draft: AssignmentDraft) -> Assignment:
        if actor.role is UserRole.TRAINEE:
            raise ForbiddenError("only trainers assign practice")
        await self._may_assign_to(actor, draft)
        scenario = await self._catalog.scenario(draft.scenario_id)
        if scenario is None:
            raise ValidationFailedError(f"unknown scenario {draft.scenario_id!r}")
        if draft.style not in STYLE_CHOICES:
            raise ValidationFailedError("unknown buyer style")
        note = draft.note.strip()
        if len(note) > MAX_NOTE_CHARS or "\x00" in note:
            raise ValidationFailedError(f"a note has at most {MAX_NOTE_CHARS} characters")
        if draft.due_on is not None and draft.due_on < self.today():
            raise ValidationFailedError("the due date is in the past")
        assignment = Assignment(
            id=uuid4(),
            scenario_id=scenario.id,
            style=draft.style,
            language=draft.language,
            mode=Mode.COACH if draft.drill else draft.mode,  # drills always coach
            drill=draft.drill,
            cohort_id=draft.cohort_id,
            user_id=draft.user_id,
            due_on=draft.due_on,
            note=note,
            created_by=actor.id,
            created_at=self._clock(),
        )
        await self._assignments.create(assignment)
        return assignment

    async def _managed(self, actor: Actor, assignment_id: UUID) -> Assignment:
        found = await self._assignments.get(assignment_id)
        if found is None or not await self._manages(actor, found):
            raise NotFoundError("assignment")
        return found

    async def _manages(self, actor: Actor, assignment: Assignment) -> bool:
        if actor.role is UserRole.ADMIN:
            return True
        if actor.role is not UserRole.TRAINER:
            return False
        if assignment.cohort_id is not None:
            return may_manage_cohort(actor, assignment.cohort_id)
        person = await self._users.get(assignment.user_id) if assignment.user_id else None
        return person is not None and self._runs(actor, person)

    async def delete(self, actor: Actor, assignment_id: UUID) -> None:
        await self._managed(actor, assignment_id)
        await self._assignments.delete(assignment_id)

    async def managed(self, actor: Actor, cohort_id: UUID | None = None) -> list[Assignment]:
        """What this trainer assigned to their cohorts and the people in them (admins: all),
        or to one cohort and its members."""
        if actor.role is UserRole.TRAINEE:
            raise ForbiddenError("trainers only")
        if cohort_id is not None and not may_manage_cohort(actor, cohort_id):
            raise NotFoundError("cohort")
        cohorts = frozenset({cohort_id}) if cohort_id else actor.cohorts
        if actor.role is UserRole.ADMIN and cohort_id is None:
            return await self._assignments.find()
        people = frozenset(u.id for u in await self._users.find(cohort_ids=cohorts))
        return await self._assignments.find(cohort_ids=cohorts, user_ids=people)

    async def report(self, actor: Actor, assignment_id: UUID) -> AssignmentReport:
        """Each assigned trainee's completion (a cohort's members as they are now)."""
        assignment = await self._managed(actor, assignment_id)
        if assignment.cohort_id is not None:
            people = await self._users.find(cohort_ids=frozenset({assignment.cohort_id}))
        else:
            person = await self._users.get(assignment.user_id) if assignment.user_id else None
            people = [person] if person else []
        calls = await self._sessions.search(
            SessionFilter(assignment_id=assignment.id, limit=MAX_LISTED_CALLS)
        )
        return AssignmentReport(
            assignment=assignment,
            trainees=[
                TraineeCompletion(user=p, completion=completion(p.id, calls))
                for p in people
                if p.role is UserRole.TRAINEE
            ],
        )

    async def mine(self, actor: Actor) -> list[tuple[Assignment, Completion]]:
        """A trainee's assignments (their cohort's and their own), the unfinished and the
        soonest due first."""
        cohorts = frozenset({actor.cohort_id}) if actor.cohort_id else frozenset()
        found = await self._assignments.find(cohort_ids=cohorts, user_ids=frozenset({actor.id}))
        calls = await self._sessions.search(
            SessionFilter(user_ids=frozenset({actor.id}), limit=MAX_LISTED_CALLS)
        )
        by_assignment: dict[UUID, list[PracticeSession]] = {}
        for call in calls:
            if call.options.assignment_id is not None:
                by_assignment.setdefault(call.options.assignment_id, []).append(call)
        rows = [(a, completion(actor.id, by_assignment.get(a.id, []))) for a in found]
        return sorted(rows, key=_home_order)

    async def start(self, actor: Actor, assignment_id: UUID) -> PracticeSession:
        """A new call (or drill) with the assignment's settings, linked to it."""
        assignment = await self._assignments.get(assignment_id)
        if assignment is None or not assignment.is_for(actor.id, actor.cohort_id):
            raise NotFoundError("assignment")
        if assignment.drill is not None:
            return await self._loops.drill(
                actor,
                scenario_id=assignment.scenario_id,
                kind=assignment.drill,
                style=assignment.style,
                language=assignment.language,
                assignment_id=assignment.id,
            )
        return await self._conversation.start(
            actor,
            scenario_id=assignment.scenario_id,
            style=assignment.style,
            language=assignment.language,
            mode=assignment.mode,
            options=SessionOptions(assignment_id=assignment.id),
        )


def _home_order(row: tuple[Assignment, Completion]) -> tuple[bool, date, datetime]:
    assignment, done = row
    return (
        done.status is AssignmentStatus.DONE,
        assignment.due_on or date.max,
        assignment.created_at,
    )
