"""Annotated dependencies: services from the lifespan state, the signed-in user, role guards.
They take HTTPConnection so one dependency serves HTTP routes and the websocket."""

import hmac
from collections.abc import Awaitable, Callable, Mapping
from typing import Annotated, TypedDict, cast

from fastapi import Depends
from fastapi.templating import Jinja2Templates
from starlette.requests import HTTPConnection, Request

from app.domain.accounts.access import UserRole
from app.domain.accounts.users import SignedIn
from app.domain.errors import ForbiddenError, NotAuthenticatedError, PracticeError
from app.domain.scenario import Bilingual
from app.routes.i18n import Locales
from app.routes.socket_quota import SocketQuota
from app.services.accounts import Accounts
from app.services.analytics import Analytics
from app.services.assignments import Assignments
from app.services.authoring import Authoring
from app.services.cohorts import Cohorts
from app.services.conversation import Conversation
from app.services.exports import Exports
from app.services.feedback import Feedback
from app.services.labelling import Labelling
from app.services.ports import Judge, ScenarioCatalog
from app.services.practice_loops import PracticeLoops
from app.services.real_calls import CallAnalysis
from app.services.review import Review
from app.settings import Settings

SESSION_COOKIE = "spin_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class AppState(TypedDict):
    """What the lifespan yields; values are typed as services and ports, not adapters."""

    settings: Settings
    accounts: Accounts
    cohorts: Cohorts
    assignments: Assignments
    feedback: Feedback
    conversation: Conversation
    review: Review
    loops: PracticeLoops
    exports: Exports
    analytics: Analytics
    authoring: Authoring
    analysis: CallAnalysis
    labelling: Labelling  # bulk classify (issue 14)
    sockets: SocketQuota  # open practice sockets per user in this process (issue 14)
    scenarios: ScenarioCatalog
    judge: Judge
    templates: Jinja2Templates
    locales: Locales  # the pages' words (web/locales)
    scorecard_words: Mapping[str, Bilingual]  # personas/feedback.yaml
    readiness: Callable[[], Awaitable[bool]]  # True when the database answers


class CsrfFailedError(PracticeError):
    code = "csrf_failed"


def state(conn: HTTPConnection) -> AppState:
    return cast(AppState, conn.state._state)


def _settings(conn: HTTPConnection) -> Settings:
    return state(conn)["settings"]


def _accounts(conn: HTTPConnection) -> Accounts:
    return state(conn)["accounts"]


def _conversation(conn: HTTPConnection) -> Conversation:
    return state(conn)["conversation"]


def _review(conn: HTTPConnection) -> Review:
    return state(conn)["review"]


def _scenarios(conn: HTTPConnection) -> ScenarioCatalog:
    return state(conn)["scenarios"]


def _judge(conn: HTTPConnection) -> Judge:
    return state(conn)["judge"]


def _loops(conn: HTTPConnection) -> PracticeLoops:
    return state(conn)["loops"]


def _exports(conn: HTTPConnection) -> Exports:
    return state(conn)["exports"]


def _analytics(conn: HTTPConnection) -> Analytics:
    return state(conn)["analytics"]


def _authoring(conn: HTTPConnection) -> Authoring:
    return state(conn)["authoring"]


def _analysis(conn: HTTPConnection) -> CallAnalysis:
    return state(conn)["analysis"]


def _cohorts(conn: HTTPConnection) -> Cohorts:
    return state(conn)["cohorts"]


def _assignments(conn: HTTPConnection) -> Assignments:
    return state(conn)["assignments"]


def _feedback(conn: HTTPConnection) -> Feedback:
    return state(conn)["feedback"]


CohortsDep = Annotated[Cohorts, Depends(_cohorts)]
AssignmentsDep = Annotated[Assignments, Depends(_assignments)]
FeedbackDep = Annotated[Feedback, Depends(_feedback)]


def _labelling(conn: HTTPConnection) -> Labelling:
    return state(conn)["labelling"]


SettingsDep = Annotated[Settings, Depends(_settings)]
LoopsDep = Annotated[PracticeLoops, Depends(_loops)]
ExportsDep = Annotated[Exports, Depends(_exports)]
AnalyticsDep = Annotated[Analytics, Depends(_analytics)]
AuthoringDep = Annotated[Authoring, Depends(_authoring)]
AnalysisDep = Annotated[CallAnalysis, Depends(_analysis)]
LabellingDep = Annotated[Labelling, Depends(_labelling)]
AccountsDep = Annotated[Accounts, Depends(_accounts)]
ConversationDep = Annotated[Conversation, Depends(_conversation)]
ReviewDep = Annotated[Review, Depends(_review)]
ScenariosDep = Annotated[ScenarioCatalog, Depends(_scenarios)]
JudgeDep = Annotated[Judge, Depends(_judge)]


async def maybe_user(conn: HTTPConnection) -> SignedIn | None:
    token = conn.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 128:
        return None
    return await _accounts(conn).signed_in(token)


async def _check_csrf(conn: HTTPConnection, signed_in: SignedIn) -> None:
    """State-changing requests carry the session's CSRF token in a header (fetch) or a form
    field (plain forms); the websocket is covered by the Origin check instead."""
    if conn.scope["type"] != "http":
        return
    request = cast(Request, conn)
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    # compare_digest refuses non-ASCII str: compare the UTF-8 bytes instead.
    if sent is None or not hmac.compare_digest(
        sent.encode("utf-8", "replace"), signed_in.csrf_token.encode()
    ):
        raise CsrfFailedError("missing or wrong CSRF token; reload the page")


async def current_user(conn: HTTPConnection) -> SignedIn:
    signed_in = await maybe_user(conn)
    if signed_in is None:
        raise NotAuthenticatedError("please sign in")
    await _check_csrf(conn, signed_in)
    return signed_in


async def trainer_user(user: Annotated[SignedIn, Depends(current_user)]) -> SignedIn:
    if user.user.role not in (UserRole.TRAINER, UserRole.ADMIN):
        raise ForbiddenError("trainers only")
    return user


async def admin_user(user: Annotated[SignedIn, Depends(current_user)]) -> SignedIn:
    if user.user.role is not UserRole.ADMIN:
        raise ForbiddenError("admins only")
    return user


MaybeUser = Annotated[SignedIn | None, Depends(maybe_user)]
CurrentUser = Annotated[SignedIn, Depends(current_user)]
TrainerUser = Annotated[SignedIn, Depends(trainer_user)]
AdminUser = Annotated[SignedIn, Depends(admin_user)]


def client_address(conn: HTTPConnection) -> str:
    return conn.client.host if conn.client else "unknown"
