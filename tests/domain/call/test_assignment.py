"""An assignment's completion per trainee: not started, in progress, done with best and
latest score; overdue only when not done after the due date."""

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

from app.domain.accounts.access import Owner
from app.domain.call.assignment import AssignmentStatus, completion
from app.domain.call.session import Mode, PracticeSession, SessionKind, Status
from app.domain.director.state import DiscoveryState
from app.domain.language import Language
from app.domain.style import StyleName

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def call(user: object, minutes: int, overall: int | None) -> PracticeSession:
    ended = overall is not None
    return PracticeSession(
        id=uuid4(),
        owner=Owner(user_id=user, cohort_id=None),  # type: ignore[arg-type]
        scenario_id="plant-operators",
        style=StyleName.DRIVER,
        style_hidden=False,
        language=Language.EN,
        mode=Mode.COACH,
        kind=SessionKind.PRACTICE,
        seed=1,
        status=Status.ENDED if ended else Status.ACTIVE,
        state=DiscoveryState(),
        created_at=T0 + timedelta(minutes=minutes),
        ended_at=T0 + timedelta(minutes=minutes + 5) if ended else None,
        overall=overall,
    )


def test_completion_moves_from_not_started_to_done_with_best_and_latest() -> None:
    me, other = uuid4(), uuid4()
    assert completion(me, []).status is AssignmentStatus.NOT_STARTED
    active = call(me, 0, None)
    assert completion(me, [active, call(other, 1, 90)]).status is AssignmentStatus.IN_PROGRESS
    found = completion(me, [call(me, 10, 80), active, call(me, 20, 60), call(other, 30, 99)])
    assert found.status is AssignmentStatus.DONE
    assert (found.best, found.latest, found.attempts) == (80, 60, 3)
    assert found.active_session_id == active.id


def test_overdue_only_when_not_done_after_the_due_date() -> None:
    me = uuid4()
    due = date(2026, 12, 5)
    assert completion(me, []).is_overdue(due, date(2026, 12, 6))
    assert not completion(me, []).is_overdue(due, date(2026, 12, 5))
    assert not completion(me, [call(me, 0, 70)]).is_overdue(due, date(2026, 12, 9))
    assert not completion(me, []).is_overdue(None, date(2030, 1, 1))
