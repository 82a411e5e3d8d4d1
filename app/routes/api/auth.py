"""/api/auth/*: sign in and out, register with an invite code, and who am I."""

from fastapi import APIRouter, Request, Response

from app.domain.accounts.users import User
from app.routes.deps import (
    SESSION_COOKIE,
    AccountsDep,
    CurrentUser,
    MaybeUser,
    client_address,
)
from app.routes.messages import LoginIn, LoginOut, RegisterIn, UserOut
from app.services.accounts import Login

router = APIRouter(prefix="/api/auth", tags=["auth"])


def user_out(user: User) -> UserOut:
    return UserOut(
        id=user.id,
        username=user.username,
        role=user.role.value,
        cohort_id=user.cohort_id,
        language=user.language,
    )


def set_session_cookie(request: Request, response: Response, login: Login) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        login.token,
        expires=login.expires_at,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


async def drop_old_session(request: Request, accounts: AccountsDep) -> None:
    """Session rotation: whatever session the browser had ends when a new one starts."""
    old = request.cookies.get(SESSION_COOKIE)
    if old and len(old) <= 128:
        await accounts.logout(old)


@router.post("/login")
async def login(
    request: Request, response: Response, body: LoginIn, accounts: AccountsDep
) -> LoginOut:
    """Public: checks the password, sets the session cookie, returns the CSRF token."""
    signed = await accounts.login(
        username=body.username, password=body.password, address=client_address(request)
    )
    await drop_old_session(request, accounts)
    set_session_cookie(request, response, signed)
    return LoginOut(user=user_out(signed.user), csrf_token=signed.csrf_token)


@router.post("/register")
async def register(
    request: Request, response: Response, body: RegisterIn, accounts: AccountsDep
) -> LoginOut:
    """Public: a trainee joins a cohort with an invite code and is signed in."""
    signed = await accounts.register(
        code=body.code,
        username=body.username,
        password=body.password,
        address=client_address(request),
    )
    await drop_old_session(request, accounts)
    set_session_cookie(request, response, signed)
    return LoginOut(user=user_out(signed.user), csrf_token=signed.csrf_token)


@router.post("/logout", status_code=204)
async def logout(
    request: Request, response: Response, _user: CurrentUser, accounts: AccountsDep
) -> None:
    """Ends the session server-side, so the cookie is useless even if it was copied."""
    await accounts.logout(request.cookies.get(SESSION_COOKIE, ""))
    response.delete_cookie(SESSION_COOKIE, path="/")


@router.get("/me")
async def me(user: MaybeUser) -> LoginOut | None:
    """Public: the signed-in user and CSRF token, or null."""
    if user is None:
        return None
    return LoginOut(user=user_out(user.user), csrf_token=user.csrf_token)
