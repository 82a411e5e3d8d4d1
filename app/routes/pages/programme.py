"""The training programme's pages: a trainer's cohorts (/cohorts, /cohorts/{id}: members,
invites, assignments), an assignment's completion (/assignments/{id}), a user's own account
(/account: change the password) and the one-time reset link (/reset). Pages only render;
changes go through the JSON API from web/static/js/cohorts.js and account.js, except the
reset form, which is public and posts like the setup form."""

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.domain.accounts.access import UserRole
from app.domain.call.assignment import Completion
from app.domain.errors import PracticeError
from app.domain.language import Language
from app.routes.api.auth import set_session_cookie
from app.routes.api.users import origin_of
from app.routes.deps import (
    AccountsDep,
    AssignmentsDep,
    CohortsDep,
    ConversationDep,
    CurrentUser,
    ScenariosDep,
    SettingsDep,
    TrainerUser,
)
from app.routes.pages.account import render
from app.routes.pages.models import when
from app.routes.pages.practice import translator
from app.routes.pages.programme_models import assignment_rows, invite_rows
from app.services.ports import ScenarioCatalog

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form(max_length=256)]
# Refusals the password form explains in the reader's language (app/domain/errors.py).
PASSWORD_ERRORS = (
    "weak_password",
    "password_common",
    "password_like_username",
    "wrong_password",
    "invalid_credentials",
    "too_many_attempts",
    "invalid_input",
)


@router.get("/cohorts")
async def cohorts_page(request: Request, user: TrainerUser, cohorts: CohortsDep) -> Response:
    """Trainers: their cohorts (admins: all) and a form for a new one."""
    summaries = await cohorts.summaries(user.actor)
    return render(request, "cohorts.html", user, {"cohorts": summaries})


async def _assign_options(
    catalog: ScenarioCatalog, conversation: ConversationDep, language: Language
) -> dict[str, object]:
    return {
        "scenarios": [(s.id, s.title(language)) for s in await catalog.scenarios()],
        "styles": [(s.name.value, s.label(language)) for s in conversation.styles()],
    }


@router.get("/cohorts/{cohort_id}")
async def cohort_page(
    request: Request,
    cohort_id: UUID,
    user: TrainerUser,
    cohorts: CohortsDep,
    assignments: AssignmentsDep,
    catalog: ScenariosDep,
    conversation: ConversationDep,
    settings: SettingsDep,
) -> Response:
    """The cohort's trainer (or an admin): members, invites, assignments, and the forms to
    rename it, invite people and assign practice."""
    language, t = translator(request, user)
    cohort = await cohorts.get(user.actor, cohort_id)
    members = await cohorts.members(user.actor, cohort_id)
    names: dict[UUID, str] = {cohort.id: t("assign.whole_cohort")}
    names |= {m.id: m.username for m in members}
    found = await assignments.managed(user.actor, cohort_id)
    context = {
        "cohort": cohort,
        "members": [(m, when(m.created_at)) for m in members],
        "invites": invite_rows(
            await cohorts.invites(user.actor, cohort_id),
            now=cohorts.now(),
            origin=origin_of(request, settings),
        ),
        "assignments": await assignment_rows(
            found, catalog=catalog, language=language, t=t, names=names
        ),
        "trainees": [(str(m.id), m.username) for m in members if m.role is UserRole.TRAINEE],
        "today": assignments.today().isoformat(),
        **await _assign_options(catalog, conversation, language),
    }
    return render(request, "cohort.html", user, context)


@dataclass(frozen=True, slots=True)
class CompletionRow:
    user_id: str
    username: str
    status: str
    attempts: int
    best: int | None
    latest: int | None
    latest_href: str
    last: str
    overdue: bool


def completion_row(username: str, user_id: UUID, done: Completion, overdue: bool) -> CompletionRow:
    latest = done.latest_session_id
    return CompletionRow(
        user_id=str(user_id),
        username=username,
        status=done.status.value,
        attempts=done.attempts,
        best=done.best,
        latest=done.latest,
        latest_href=f"/review/{latest}" if latest else "",
        last=when(done.last_at),
        overdue=overdue,
    )


@router.get("/assignments/{assignment_id}")
async def assignment_page(
    request: Request,
    assignment_id: UUID,
    user: TrainerUser,
    assignments: AssignmentsDep,
    cohorts: CohortsDep,
    catalog: ScenariosDep,
) -> Response:
    """Trainers: each assigned trainee's status, attempts, best and latest score."""
    language, t = translator(request, user)
    report = await assignments.report(user.actor, assignment_id)
    found = report.assignment
    names = {c.id: c.name for c in await cohorts.visible(user.actor)}
    names |= {row.user.id: row.user.username for row in report.trainees}
    rows = await assignment_rows([found], catalog=catalog, language=language, t=t, names=names)
    today = assignments.today()
    context = {
        "assignment": rows[0],
        "cohort_id": str(found.cohort_id) if found.cohort_id else "",
        "rows": [
            completion_row(
                r.user.username,
                r.user.id,
                r.completion,
                r.completion.is_overdue(found.due_on, today),
            )
            for r in report.trainees
        ],
        "done": sum(1 for r in report.trainees if r.completion.status.value == "done"),
    }
    return render(request, "assignment.html", user, context)


@router.get("/account")
async def account_page(request: Request, user: CurrentUser) -> Response:
    """Any signed-in user: their account and a form to change the password."""
    _, t = translator(request, user)
    errors = {code: t(f"error.{code}") for code in PASSWORD_ERRORS}
    return render(request, "account.html", user, {"error_texts": errors})


@router.get("/reset")
async def reset_page(request: Request, accounts: AccountsDep, token: str = "") -> Response:
    """Public: the form behind a one-time reset link an admin gave out."""
    try:
        target = await accounts.reset_target(token[:64])
    except PracticeError as error:
        context = {"token": "", "username": "", "error": error.code}
        return render(request, "reset.html", None, context, status_code=404)
    found: dict[str, object] = {"token": token[:64], "username": target.username, "error": None}
    return render(request, "reset.html", None, found)


@router.post("/reset")
async def reset_submit(
    request: Request,
    accounts: AccountsDep,
    token: Annotated[str, Form(max_length=64)],
    password: FormText,
) -> Response:
    """Public (the token is the credential): sets the password and signs the user in."""
    try:
        signed = await accounts.complete_reset(token=token, password=password)
    except PracticeError as error:
        context = {"token": token, "username": "", "error": error.code}
        return render(request, "reset.html", None, context, status_code=400)
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(request, response, signed)
    return response
