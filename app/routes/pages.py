"""HTML pages rendered from web/templates. Forms post with a CSRF token; page scripts live in
web/static/js/ (no inline script: the Content-Security-Policy forbids it)."""

from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.domain.errors import PracticeError
from app.domain.people import SignedIn
from app.routes.api_auth import set_session_cookie
from app.routes.deps import (
    SESSION_COOKIE,
    AccountsDep,
    CurrentUser,
    MaybeUser,
    client_address,
    state,
)
from app.routes.i18n import LANG_COOKIE, page_language

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form(max_length=256)]


def render(
    request: Request,
    template: str,
    user: SignedIn | None,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    language = page_language(request, user)
    catalogue = state(request)["catalogue"]

    def t(key: str, **params: object) -> str:
        return str(catalogue.translate(language, key, **params))

    base = {
        "user": user.user if user else None,
        "csrf_token": user.csrf_token if user else "",
        "lang": language.value,
        "t": t,
    }
    return state(request)["templates"].TemplateResponse(
        request, template, base | (context or {}), status_code=status_code
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
        signed = await accounts.register(code=code, username=username, password=password)
    except PracticeError as error:
        context = {"code": code, "error": error.code, "message": error.message}
        return render(request, "register.html", None, context, status_code=400)
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(request, response, signed)
    return response


@router.get("/lang/{language}")
async def switch_language(request: Request, language: str) -> Response:
    """Public: remembers the page language in a cookie."""
    chosen = language if language in ("en", "zh") else "en"
    back = urlsplit(request.headers.get("referer", "")).path
    response = RedirectResponse(safe_next(back), status_code=303)
    response.set_cookie(LANG_COOKIE, chosen, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


@router.get("/")
async def home(request: Request, user: CurrentUser) -> Response:
    return render(request, "home.html", user)


@router.get("/admin/users")
async def admin_users(request: Request, user: CurrentUser, accounts: AccountsDep) -> Response:
    users = await accounts.users(user.actor)
    return render(request, "admin_users.html", user, {"users": users})
