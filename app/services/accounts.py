"""Accounts: users, roles, cohorts, invite codes, sign-in and the first-run setup."""

import asyncio
import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar
from uuid import UUID

from app.domain.accounts.access import (
    Actor,
    UserRole,
    may_create_cohort,
    may_manage_cohort,
    may_manage_users,
)
from app.domain.accounts.users import (
    MAX_PASSWORD_CHARS,
    MIN_PASSWORD_CHARS,
    Cohort,
    Invite,
    SignedIn,
    User,
)
from app.domain.errors import (
    ConflictError,
    ForbiddenError,
    InvalidCredentialsError,
    NotFoundError,
    TooManyAttemptsError,
    ValidationFailedError,
    WeakPasswordError,
)
from app.services.ports import DuplicateError, PasswordHasher, UserStore

logger = logging.getLogger(__name__)

SETUP_TOKEN_KEY = "setup_token_hash"
LOGIN_WINDOW = timedelta(minutes=15)
HASHING_AT_ONCE = 2
T = TypeVar("T")
INVITE_DAYS = 30
# A fixed hash to verify against when the user does not exist, so a missing account costs
# the same time as a wrong password (no user enumeration by timing).
_DUMMY_PASSWORD = "not-a-real-password-" + "x" * 12


@dataclass(frozen=True, slots=True)
class Login:
    """A new browser session: the cookie token (given to the client once) and its CSRF token."""

    user: User
    token: str
    csrf_token: str
    expires_at: datetime


def validate_username(username: str) -> str:
    name = username.strip()
    if not 3 <= len(name) <= 64 or not all(c.isalnum() or c in "._-@" for c in name):
        raise ValidationFailedError("usernames have 3-64 letters, digits or . _ - @ characters")
    return name


def validate_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise WeakPasswordError(f"passwords need at least {MIN_PASSWORD_CHARS} characters")
    if len(password) > MAX_PASSWORD_CHARS:
        raise WeakPasswordError(f"passwords have at most {MAX_PASSWORD_CHARS} characters")
    return password


class Accounts:
    def __init__(
        self,
        *,
        users: UserStore,
        hasher: PasswordHasher,
        secret_key: str,
        clock: Callable[[], datetime],
        session_days: int = 14,
        max_failed_logins: int = 10,
    ) -> None:
        self._users = users
        self._hasher = hasher
        self._secret = secret_key.encode()
        self._clock = clock
        self._session_days = session_days
        self._max_failed = max_failed_logins
        self._dummy_hash = hasher.hash(_DUMMY_PASSWORD)
        self._hashing = asyncio.Semaphore(HASHING_AT_ONCE)

    async def _off_loop(self, work: Callable[..., T], *args: str) -> T:
        """Runs an argon2 hash or verify on a thread, at most HASHING_AT_ONCE at a time:
        each uses 64 MiB by design, so a burst of sign-ins must not multiply that."""
        async with self._hashing:
            return await asyncio.to_thread(work, *args)

    def token_hash(self, token: str) -> str:
        return hmac.new(self._secret, token.encode(), hashlib.sha256).hexdigest()

    async def create_user(
        self, *, username: str, password: str, role: UserRole, cohort_id: UUID | None = None
    ) -> User:
        name = validate_username(username)
        hashed = await self._off_loop(self._hasher.hash, validate_password(password))
        try:
            return await self._users.create(
                username=name, password_hash=hashed, role=role, cohort_id=cohort_id
            )
        except DuplicateError as exc:
            raise ConflictError("that username is taken") from exc

    async def create_user_as(
        self, actor: Actor, *, username: str, password: str, role: UserRole
    ) -> User:
        if not may_manage_users(actor):
            raise ForbiddenError("only admins create users")
        return await self.create_user(username=username, password=password, role=role)

    async def login(self, *, username: str, password: str, address: str) -> Login:
        """Checks the password (rate limited per account and per address) and starts a new
        browser session; the caller drops any session the browser had (rotation)."""
        now = self._clock()
        failures = await self._users.failed_logins(
            username=username, address=address, since=now - LOGIN_WINDOW
        )
        if failures >= self._max_failed:
            raise TooManyAttemptsError("too many failed sign-ins; try again in 15 minutes")
        found = await self._users.credentials(username.strip())
        # argon2 takes a fraction of a second on purpose: off the event loop, so the
        # websockets served by this process do not stall during a sign-in.
        valid = await self._off_loop(
            self._hasher.verify, password, found[1] if found else self._dummy_hash
        )
        if found is None or not valid or not found[0].is_active:
            await self._users.record_failed_login(username=username.strip(), address=address)
            raise InvalidCredentialsError("wrong username or password")
        await self._users.clear_failed_logins(username=found[0].username)
        return await self._start_session(found[0])

    async def _start_session(self, user: User) -> Login:
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(24)
        expires = self._clock() + timedelta(days=self._session_days)
        await self._users.start_auth_session(
            user_id=user.id, token_hash=self.token_hash(token), csrf_token=csrf, expires_at=expires
        )
        return Login(user=user, token=token, csrf_token=csrf, expires_at=expires)

    async def signed_in(self, token: str) -> SignedIn | None:
        return await self._users.signed_in(self.token_hash(token), now=self._clock())

    async def logout(self, token: str) -> None:
        await self._users.end_auth_session(self.token_hash(token))

    async def register(self, *, code: str, username: str, password: str) -> Login:
        """A trainee joins the cohort of an invite code and is signed in."""
        name = validate_username(username)
        hashed = await self._off_loop(self._hasher.hash, validate_password(password))
        try:
            user = await self._users.register_with_invite(
                code=code.strip(), username=name, password_hash=hashed, now=self._clock()
            )
        except DuplicateError as exc:
            raise ConflictError("that username is taken") from exc
        return await self._start_session(user)

    async def create_cohort(self, actor: Actor, *, name: str) -> Cohort:
        if not may_create_cohort(actor):
            raise ForbiddenError("only trainers create cohorts")
        cleaned = name.strip()
        if not 1 <= len(cleaned) <= 120:
            raise ValidationFailedError("a cohort name has 1-120 characters")
        return await self._users.create_cohort(name=cleaned, trainer_id=actor.id)

    async def cohorts(self, actor: Actor) -> list[Cohort]:
        if actor.role is UserRole.ADMIN:
            return await self._users.cohorts()
        if actor.role is UserRole.TRAINER:
            return await self._users.cohorts(trainer_id=actor.id)
        raise ForbiddenError("trainees have no cohorts to manage")

    async def create_invite(self, actor: Actor, *, cohort_id: UUID, max_uses: int = 50) -> Invite:
        if not may_manage_cohort(actor, cohort_id):
            raise NotFoundError("cohort")
        if not 1 <= max_uses <= 1000:
            raise ValidationFailedError("an invite allows 1-1000 uses")
        code = secrets.token_urlsafe(9).replace("-", "x").replace("_", "y")
        return await self._users.create_invite(
            cohort_id=cohort_id,
            created_by=actor.id,
            code=code,
            max_uses=max_uses,
            expires_at=self._clock() + timedelta(days=INVITE_DAYS),
        )

    async def invites(self, actor: Actor, cohort_id: UUID) -> list[Invite]:
        if not may_manage_cohort(actor, cohort_id):
            raise NotFoundError("cohort")
        return await self._users.invites(cohort_id)

    async def users(self, actor: Actor) -> list[User]:
        if actor.role is UserRole.ADMIN:
            return await self._users.find()
        if actor.role is UserRole.TRAINER:
            return await self._users.find(cohort_ids=actor.cohorts)
        raise ForbiddenError("trainees cannot list users")

    async def set_role(self, actor: Actor, user_id: UUID, role: UserRole) -> User:
        if not may_manage_users(actor):
            raise ForbiddenError("only admins change roles")
        return await self._users.set_role(user_id, role)

    async def set_language(self, user: User, language: str | None) -> None:
        if language not in (None, "en", "zh"):
            raise ValidationFailedError("language is en or zh")
        await self._users.set_language(user.id, language)

    async def prepare_first_run(self) -> str | None:
        """On an empty installation, returns a one-time setup token (its hash is stored) for
        creating the first admin; None once any user exists."""
        if await self._users.count() > 0:
            return None
        token = secrets.token_urlsafe(24)
        await self._users.set_setting(SETUP_TOKEN_KEY, self.token_hash(token))
        return token

    async def complete_first_run(self, *, token: str, username: str, password: str) -> Login:
        stored = await self._users.get_setting(SETUP_TOKEN_KEY)
        if stored is None or not hmac.compare_digest(stored, self.token_hash(token)):
            raise NotFoundError("this setup link is invalid or was already used")
        if await self._users.count() > 0:
            await self._users.set_setting(SETUP_TOKEN_KEY, None)
            raise NotFoundError("this installation is already set up")
        user = await self.create_user(username=username, password=password, role=UserRole.ADMIN)
        await self._users.set_setting(SETUP_TOKEN_KEY, None)
        logger.info("first admin %s created through the setup link", user.username)
        return await self._start_session(user)
