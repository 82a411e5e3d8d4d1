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
    may_manage_users,
)
from app.domain.accounts.names import clean_username, username_key
from app.domain.accounts.passwords import MAX_PASSWORD_CHARS, PasswordPolicy
from app.domain.accounts.users import SignedIn, User
from app.domain.errors import (
    ConflictError,
    ForbiddenError,
    InvalidCredentialsError,
    InvalidInviteError,
    NotFoundError,
    TooManyAttemptsError,
    ValidationFailedError,
    WrongPasswordError,
)
from app.services.ports import (
    AttemptKind,
    CohortStore,
    DuplicateError,
    PasswordHasher,
    UserStore,
)

logger = logging.getLogger(__name__)

SETUP_TOKEN_KEY = "setup_token_hash"
LOGIN_WINDOW = timedelta(minutes=15)
RESET_LINK_HOURS = 24
HASHING_AT_ONCE = 2
T = TypeVar("T")
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


@dataclass(frozen=True, slots=True)
class ResetLink:
    """A one-time password reset: the token (shown once) and when it stops working."""

    user: User
    token: str
    expires_at: datetime


def validate_username(username: str) -> str:
    """The name as stored: NFKC, stripped, one script (app/domain/accounts/names.py)."""
    return clean_username(username)


class Accounts:
    def __init__(
        self,
        *,
        users: UserStore,
        cohorts: CohortStore,
        hasher: PasswordHasher,
        secret_key: str,
        clock: Callable[[], datetime],
        passwords: PasswordPolicy,
        session_days: int = 14,
        max_failed_logins: int = 10,
        max_registrations: int = 20,
    ) -> None:
        self._users = users
        self._cohorts = cohorts
        self._hasher = hasher
        self._secret = secret_key.encode()
        self._clock = clock
        self._passwords = passwords
        self._session_days = session_days
        self._max_failed = max_failed_logins
        self._max_registrations = max_registrations
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
        if await self._users.name_taken(name):
            raise ConflictError("that username is taken")
        checked = self._passwords.check(password, username=name)
        hashed = await self._off_loop(self._hasher.hash, checked)
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
        key = username_key(username)
        found = await self._checked_password(key, password, address=address)
        await self._users.clear_attempts(kind=AttemptKind.LOGIN, username=key)
        return await self._start_session(found)

    async def _checked_password(self, key: str, password: str, *, address: str) -> User:
        """The account whose password this is. The attempt is claimed before argon2 runs,
        keyed on the canonical name (" Trainer2\t" is "trainer2"), so neither concurrency
        nor name variants get past the limit (issue 14 item 2)."""
        attempt, count = await self._users.claim_attempt(
            kind=AttemptKind.LOGIN,
            username=key,
            address=address,
            since=self._clock() - LOGIN_WINDOW,
        )
        if count > self._max_failed:
            await self._users.release_attempt(attempt)
            raise TooManyAttemptsError("too many failed sign-ins; try again in 15 minutes")
        found = await self._users.credentials(key)
        # argon2 takes a fraction of a second on purpose: off the event loop, so the
        # websockets served by this process do not stall during a sign-in.
        valid = await self._off_loop(
            self._hasher.verify,
            password[:MAX_PASSWORD_CHARS],
            found[1] if found else self._dummy_hash,
        )
        if found is None or not valid or not found[0].is_active:
            raise InvalidCredentialsError("wrong username or password")  # the claim stays
        await self._users.release_attempt(attempt)
        return found[0]

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

    async def register(
        self, *, code: str, username: str, password: str, address: str = "unknown"
    ) -> Login:
        """A trainee joins the cohort of an invite code and is signed in. The code, the
        name and the password rule are checked before argon2 runs, and attempts are limited
        per address, so bogus registrations cannot queue hashing ahead of sign-ins (issue
        14 item 3). A successful registration does not count against the address (a whole
        class may register from one office network)."""
        attempt, count = await self._users.claim_attempt(
            kind=AttemptKind.REGISTER,
            username="",
            address=address,
            since=self._clock() - LOGIN_WINDOW,
        )
        if count > self._max_registrations:
            await self._users.release_attempt(attempt)
            raise TooManyAttemptsError("too many registrations from your network; try later")
        invite = await self._cohorts.invite(code.strip())
        if invite is None or not invite.is_usable(self._clock()):
            raise InvalidInviteError("this invite code is unknown, used up or expired")
        name = validate_username(username)
        if await self._users.name_taken(name):
            raise ConflictError("that username is taken")
        checked = self._passwords.check(password, username=name)
        hashed = await self._off_loop(self._hasher.hash, checked)
        try:
            user = await self._users.register_with_invite(
                code=invite.code, username=name, password_hash=hashed, now=self._clock()
            )
        except DuplicateError as exc:
            raise ConflictError("that username is taken") from exc
        await self._users.release_attempt(attempt)
        return await self._start_session(user)

    async def users(self, actor: Actor) -> list[User]:
        if actor.role is UserRole.ADMIN:
            return await self._users.find()
        if actor.role is UserRole.TRAINER:
            return await self._users.find(cohort_ids=actor.cohorts)
        raise ForbiddenError("trainees cannot list users")

    async def set_role(self, actor: Actor, user_id: UUID, role: UserRole) -> User:
        """Admins only; the last active admin keeps the role (LastAdminError)."""
        if not may_manage_users(actor):
            raise ForbiddenError("only admins change roles")
        return await self._users.set_role(user_id, role)

    async def set_active(self, actor: Actor, user_id: UUID, *, active: bool) -> User:
        """Admins only. Deactivating ends the user's browser sessions at once (open sockets
        re-check their session on every move); an admin cannot lock themselves out."""
        if not may_manage_users(actor):
            raise ForbiddenError("only admins deactivate accounts")
        if not active and user_id == actor.id:
            raise ValidationFailedError("you cannot deactivate your own account")
        changed = await self._users.set_active(user_id, active=active)
        logger.info("user %s %s", changed.username, "reactivated" if active else "deactivated")
        return changed

    async def set_language(self, user: User, language: str | None) -> None:
        if language not in (None, "en", "zh"):
            raise ValidationFailedError("language is en or zh")
        await self._users.set_language(user.id, language)

    async def issue_reset(self, actor: Actor, user_id: UUID) -> ResetLink:
        """Admins only: a one-time link to set a new password, valid RESET_LINK_HOURS; only
        its hash is stored, and a new link replaces the previous one."""
        if not may_manage_users(actor):
            raise ForbiddenError("only admins reset passwords")
        user = await self._users.get(user_id)
        if user is None:
            raise NotFoundError("user")
        token = secrets.token_urlsafe(24)
        expires = self._clock() + timedelta(hours=RESET_LINK_HOURS)
        await self._users.create_reset(
            user_id=user_id,
            created_by=actor.id,
            token_hash=self.token_hash(token),
            expires_at=expires,
        )
        logger.info("password reset link issued for %s", user.username)
        return ResetLink(user=user, token=token, expires_at=expires)

    async def reset_target(self, token: str) -> User:
        """Who a live reset link is for; NotFoundError for a dead one."""
        user = await self._users.reset_user(self.token_hash(token), now=self._clock())
        if user is None:
            raise NotFoundError("this reset link is invalid, expired or was already used")
        return user

    async def complete_reset(self, *, token: str, password: str) -> Login:
        """Sets the new password, spends the link, ends the user's other sessions and signs
        them in."""
        user = await self.reset_target(token)
        checked = self._passwords.check(password, username=user.username)
        hashed = await self._off_loop(self._hasher.hash, checked)
        user = await self._users.use_reset(
            self.token_hash(token), password_hash=hashed, now=self._clock()
        )
        return await self._start_session(user)

    async def change_password(
        self, signed_in: SignedIn, *, current: str, new: str, address: str
    ) -> Login:
        """The user's own change: the current password is checked (rate limited like a
        sign-in); every other browser session ends and this one is renewed."""
        user = signed_in.user
        found = await self._checked_password(username_key(user.username), current, address=address)
        if found.id != user.id:  # another account's password: treat as wrong
            raise WrongPasswordError("the current password is wrong")
        checked = self._passwords.check(new, username=user.username)
        hashed = await self._off_loop(self._hasher.hash, checked)
        await self._users.set_password(user.id, hashed)
        return await self._start_session(user)

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
