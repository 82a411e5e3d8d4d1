"""HTML pages rendered from web/templates: sign-in, first run, registration, the language
switch, admin users and the trainee's home. The practice, scorecard and progress pages are in
`practice`, the trainer's review desk in `review`. Forms post with a CSRF token;
page scripts live in web/static/js/ (no inline script: the Content-Security-Policy forbids
it); strings for scripts travel in a `<script type="application/json">` element."""

from collections.abc import Callable, Mapping
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.domain.accounts.access import UserRole
from app.domain.accounts.users import SignedIn
from app.domain.errors import PracticeError
from app.routes.api.auth import set_session_cookie
from app.routes.deps import (
    SESSION_COOKIE,
    AccountsDep,
    AdminUser,
    AssignmentsDep,
    CohortsDep,
    ConversationDep,
    CurrentUser,
    FeedbackDep,
    MaybeUser,
    ReviewDep,
    ScenariosDep,
    client_address,
    state,
)
from app.routes.i18n import LANG_COOKIE, page_language
from app.routes.pages.charts import SPIN_LABELS
from app.routes.pages.models import session_rows
from app.routes.pages.programme_models import assigned_cards
from app.services.ports import SessionFilter

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form(max_length=256)]


def render(
    request: Request,
    template: str,
    user: SignedIn | None,
    context: Mapping[str, object] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    language = page_language(request, user)
    catalogue = state(request)["locales"]

    def t(key: str, **params: object) -> str:
        return str(catalogue.translate(language, key, **params))

    base: dict[str, object] = {
        "user": user.user if user else None,
        "is_trainer": user is not None and user.user.role is not UserRole.TRAINEE,
        "csrf_token": user.csrf_token if user else "",
        "lang": language.value,
        "language": language,
        "t": t,
        "label_names": {key: t(f"label.{key}") for key in SPIN_LABELS},
        "path": request.url.path,
        "error_messages": catalogue.errors(language),
        "error_text": lambda code, context="": catalogue.error_text(language, code, context),
    }
    return state(request)["templates"].TemplateResponse(
        request, template, {**base, **(context or {})}, status_code=status_code
    )


def render_error(request: Request, status_code: int, code: str, message: str) -> Response:
    if code == "not_authenticated":
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    return render(
        request, "error.html", None, {"code": code, "message": message}, status_code=status_code
    )


def safe_next(target: str | None) -> str:
    """Only local paths: an open redirect would make phishing links look like ours."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@router.get("/login")
async def login_page(request: Request, user: MaybeUser, next: str | None = None) -> Response:
    """Public: the sign-in form."""
    return render(request, "login.html", user, {"next": safe_next(next), "error": None})


@router.post("/login")
async def login_submit(
    request: Request,
    accounts: AccountsDep,
    username: FormText,
    password: FormText,
    next: Annotated[str, Form(max_length=256)] = "/",
) -> Response:
    """Public: checks the password; on success rotates the session and redirects."""
    try:
        signed = await accounts.login(
            username=username, password=password, address=client_address(request)
        )
    except PracticeError as error:
        context = {"next": safe_next(next), "error": error.code, "username": username}
        return render(request, "login.html", None, context, status_code=401)
    old = request.cookies.get(SESSION_COOKIE)
    if old and len(old) <= 128:
        await accounts.logout(old)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(request, response, signed)
    return response


@router.post("/logout")
async def logout_submit(request: Request, _user: CurrentUser, accounts: AccountsDep) -> Response:
    await accounts.logout(request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/setup")
async def setup_page(request: Request, token: str = "") -> Response:
    """Public: the first-run form, reachable only with the one-time token from the console."""
    return render(request, "setup.html", None, {"token": token[:64], "error": None})


@router.post("/setup")
async def setup_submit(
    request: Request,
    accounts: AccountsDep,
    token: Annotated[str, Form(max_length=64)],
    username: FormText,
    password: FormText,
) -> Response:
    """Public: creates the first admin with the one-time token."""
    try:
        signed = await accounts.complete_first_run(
            token=token, username=username, password=password
        )
    except PracticeError as error:
        context = {"token": token, "error": error.code, "message": error.message}
        return render(request, "setup.html", None, context, status_code=400)
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(request, response, signed)
    return response


@router.get("/register")
async def register_page(request: Request, user: MaybeUser, code: str = "") -> Response:
    """Public: a trainee joins a cohort with an invite code."""
    return render(request, "register.html", user, {"code": code[:32], "error": None})


@router.post("/register")
async def register_submit(
    request: Request,
    accounts: AccountsDep,
    code: Annotated[str, Form(max_length=32)],
    username: FormText,
    password: FormText,
) -> Response:
    """Public: registration with an invite code."""
    try:
        signed = await accounts.register(
            code=code, username=username, password=password, address=client_address(request)
        )
    except PracticeError as error:
        context = {"code": code, "error": error.code, "username": username}
        return render(request, "register.html", None, context, status_code=400)
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(request, response, signed)
    return response


def _language_response(request: Request, language: str, back: str | None) -> Response:
    chosen = language if language in ("en", "zh") else "en"
    target = back if back is not None else urlsplit(request.headers.get("referer", "")).path
    response = RedirectResponse(safe_next(target), status_code=303)
    response.set_cookie(LANG_COOKIE, chosen, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


@router.get("/lang/{language}")
async def switch_language(request: Request, language: str) -> Response:
    """Public: remembers the page language in a cookie (signed-out visitors)."""
    return _language_response(request, language, None)


@router.post("/lang")
async def switch_user_language(
    request: Request,
    user: CurrentUser,
    accounts: AccountsDep,
    language: Annotated[str, Form(max_length=8)],
    back: Annotated[str, Form(max_length=512)] = "/",
) -> Response:
    """A signed-in user's choice is kept with the account, so it follows them across
    browsers, and in the cookie for the sign-in page."""
    chosen = language if language in ("en", "zh") else "en"
    await accounts.set_language(user.user, chosen)
    return _language_response(request, chosen, back)


@router.get("/")
async def home(
    request: Request,
    user: CurrentUser,
    catalog: ScenariosDep,
    conversation: ConversationDep,
    review: ReviewDep,
    assignments: AssignmentsDep,
    feedback: FeedbackDep,
) -> Response:
    """Any signed-in user: what their trainer assigned them first, then start a call
    (scenario, style, language, mode, plan) or a drill (scenario, kind, problem), resume an
    unfinished one, see recent scores and which have feedback they have not read."""
    language = page_language(request, user)
    found = await catalog.scenarios()
    scenarios: list[dict[str, object]] = [
        {
            "id": s.id,
            "title": s.title(language),
            "brief": s.brief(language),
            "company": s.account.company(language),
            "buyer_role": s.account.buyer_role(language),
            "product": s.account.product(language),
            "problems": [(p.id, p.title(language)) for p in s.problems],
        }
        for s in found
    ]
    styles = [
        {"id": s.name.value, "label": s.label(language), "description": s.description(language)}
        for s in conversation.styles()
    ]
    mine = await review.sessions(user.actor, SessionFilter(user_ids=frozenset({user.user.id})))
    rows = session_rows(
        [s for s in mine if s.owner.user_id == user.user.id],
        actor=user.actor,
        # A disabled scenario starts no call, but its calls keep their title.
        scenario_titles={
            r.scenario.id: r.scenario.title(language) for r in await catalog.records()
        },
        style_names={s["id"]: s["label"] for s in styles},
    )
    context = {
        "scenarios": scenarios,
        "styles": styles,
        "active": [r for r in rows if not r.ended][:10],
        "finished": [r for r in rows if r.ended][:10],
        "default_language": language.value,
        **await _programme(
            request, user, assignments, feedback, {s.id: s.title(language) for s in found}
        ),
    }
    return render(request, "home.html", user, context)


async def _programme(
    request: Request,
    user: SignedIn,
    assignments: AssignmentsDep,
    feedback: FeedbackDep,
    titles: Mapping[str, str],
) -> dict[str, object]:
    """The home page's "Assigned to you" cards and unread feedback (issue 15 items 3, 4)."""
    unread = await feedback.unread(user.actor)
    return {
        "assigned": assigned_cards(
            await assignments.mine(user.actor),
            titles=titles,
            t=_translate(request, user),
            today=assignments.today(),
        ),
        "unread": {str(k): v for k, v in unread.items()},
        "unread_total": sum(unread.values()),
    }


@router.get("/admin/users")
async def admin_users(
    request: Request, user: AdminUser, accounts: AccountsDep, cohorts: CohortsDep
) -> Response:
    """Admins: every account with its role and status; change a role, deactivate or
    reactivate, make a one-time reset link, create an account."""
    names = {c.id: c.name for c in await cohorts.visible(user.actor)}
    users = [
        (u, names.get(u.cohort_id, "") if u.cohort_id else "")
        for u in await accounts.users(user.actor)
    ]
    t = _translate(request, user)
    errors = {code: t(f"error.{code}") for code in USER_ERRORS}
    context = {"users": users, "me": user.user.id, "error_texts": errors}
    return render(request, "admin_users.html", user, context)


# Refusals the Users page explains in the reader's language (app/domain/errors.py).
USER_ERRORS = (
    "last_admin",
    "conflict",
    "weak_password",
    "password_common",
    "password_like_username",
    "username_mixed_script",
    "invalid_input",
    "forbidden",
)


def _translate(request: Request, user: SignedIn | None) -> Callable[..., str]:
    language = page_language(request, user)
    catalogue = state(request)["locales"]

    def t(key: str, **params: object) -> str:
        return str(catalogue.translate(language, key, **params))

    return t
