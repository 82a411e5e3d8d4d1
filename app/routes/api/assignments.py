"""/api/assignments: trainers assign calls and drills to a cohort or a trainee and read each
trainee's completion; trainees list theirs and start them."""

from uuid import UUID

from fastapi import APIRouter

from app.domain.call.assignment import Assignment, Completion
from app.domain.call.session import DrillKind, Mode
from app.domain.language import Language
from app.routes.deps import AssignmentsDep, ConversationDep, CurrentUser, TrainerUser
from app.routes.messages import AssignmentIn, AssignmentOut, CompletionOut, SessionOut
from app.routes.wire import session_out
from app.services.assignments import AssignmentDraft, AssignmentReport

router = APIRouter(prefix="/api", tags=["assignments"])


def assignment_out(assignment: Assignment, **extra: object) -> AssignmentOut:
    return AssignmentOut.model_validate(
        {
            "id": assignment.id,
            "scenario_id": assignment.scenario_id,
            "style": assignment.style,
            "language": assignment.language.value,
            "mode": assignment.mode.value,
            "drill": assignment.drill.value if assignment.drill else None,
            "cohort_id": assignment.cohort_id,
            "user_id": assignment.user_id,
            "due_on": assignment.due_on,
            "note": assignment.note,
            "created_at": assignment.created_at,
            **extra,
        }
    )


def report_out(report: AssignmentReport, assignments: AssignmentsDep) -> AssignmentOut:
    today = assignments.today()
    due = report.assignment.due_on
    return assignment_out(
        report.assignment,
        trainees=[
            CompletionOut(
                user_id=row.user.id,
                username=row.user.username,
                status=row.completion.status.value,
                attempts=row.completion.attempts,
                best=row.completion.best,
                latest=row.completion.latest,
                latest_session_id=row.completion.latest_session_id,
                overdue=row.completion.is_overdue(due, today),
            )
            for row in report.trainees
        ],
    )


def draft_from(body: AssignmentIn) -> AssignmentDraft:
    return AssignmentDraft(
        scenario_id=body.scenario_id,
        style=body.style,
        language=Language(body.language),
        mode=Mode(body.mode),
        drill=DrillKind(body.drill) if body.drill else None,
        cohort_id=body.cohort_id,
        user_id=body.user_id,
        due_on=body.due_on,
        note=body.note,
    )


@router.get("/assignments")
async def list_assignments(
    user: TrainerUser, assignments: AssignmentsDep, cohort: UUID | None = None
) -> list[AssignmentOut]:
    """Trainers: what they assigned to their cohorts and the people in them (admins: all)."""
    return [assignment_out(a) for a in await assignments.managed(user.actor, cohort)]


@router.post("/assignments", status_code=201)
async def create_assignment(
    body: AssignmentIn, user: TrainerUser, assignments: AssignmentsDep
) -> AssignmentOut:
    return assignment_out(await assignments.create(user.actor, draft_from(body)))


@router.get("/assignments/{assignment_id}")
async def assignment_report(
    assignment_id: UUID, user: TrainerUser, assignments: AssignmentsDep
) -> AssignmentOut:
    """Each assigned trainee's status, attempts, best and latest score."""
    return report_out(await assignments.report(user.actor, assignment_id), assignments)


@router.delete("/assignments/{assignment_id}", status_code=204)
async def delete_assignment(
    assignment_id: UUID, user: TrainerUser, assignments: AssignmentsDep
) -> None:
    """The calls made for it stay, no longer linked."""
    await assignments.delete(user.actor, assignment_id)


def _mine_out(row: tuple[Assignment, Completion]) -> AssignmentOut:
    return assignment_out(row[0], status=row[1].status.value)


@router.get("/me/assignments")
async def my_assignments(user: CurrentUser, assignments: AssignmentsDep) -> list[AssignmentOut]:
    """The signed-in trainee's assignments with their status, unfinished first."""
    return [_mine_out(row) for row in await assignments.mine(user.actor)]


@router.post("/assignments/{assignment_id}/start", status_code=201)
async def start_assignment(
    assignment_id: UUID,
    user: CurrentUser,
    assignments: AssignmentsDep,
    conversation: ConversationDep,
) -> SessionOut:
    """The trainee it is for: a new call (or drill) with its settings, linked to it."""
    session = await assignments.start(user.actor, assignment_id)
    return session_out(await conversation.view(user.actor, session.id), user.actor)
