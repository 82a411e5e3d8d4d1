"""SqlUserStore on both databases: users, cohorts, invites, browser sessions, failed logins."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from app.adapters.sql_cohorts import SqlCohortStore
from app.adapters.sql_users import SqlUserStore
from app.domain.accounts.access import UserRole
from app.domain.errors import InvalidInviteError
from app.services.ports import AttemptKind, DuplicateError

pytestmark = pytest.mark.anyio
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


async def test_users_are_unique_by_username(db: async_sessionmaker[AsyncSession]) -> None:
    store = SqlUserStore(db)
    await store.create(username="ana", password_hash="h", role=UserRole.TRAINEE, cohort_id=None)
    with pytest.raises(DuplicateError):
        await store.create(username="ana", password_hash="h", role=UserRole.ADMIN, cohort_id=None)
    assert await store.count() == 1


async def test_invite_registers_trainee_in_cohort_until_used_up(
    db: async_sessionmaker[AsyncSession],
) -> None:
    store = SqlUserStore(db)
    groups = SqlCohortStore(db)
    trainer = await store.create(
        username="tom", password_hash="h", role=UserRole.TRAINER, cohort_id=None
    )
    cohort = await groups.create_cohort(name="Spring", trainer_id=trainer.id)
    await groups.create_invite(
        cohort_id=cohort.id,
        created_by=trainer.id,
        code="abc",
        max_uses=1,
        expires_at=NOW + timedelta(days=1),
    )
    user = await store.register_with_invite(code="abc", username="tia", password_hash="h", now=NOW)
    assert user.role is UserRole.TRAINEE
    assert user.cohort_id == cohort.id
    with pytest.raises(InvalidInviteError):
        await store.register_with_invite(code="abc", username="tib", password_hash="h", now=NOW)
    assert [u.username for u in await store.find(cohort_ids=frozenset({cohort.id}))] == ["tia"]


async def test_expired_invite_is_refused(db: async_sessionmaker[AsyncSession]) -> None:
    store = SqlUserStore(db)
    groups = SqlCohortStore(db)
    trainer = await store.create(
        username="tom", password_hash="h", role=UserRole.TRAINER, cohort_id=None
    )
    cohort = await groups.create_cohort(name="Old", trainer_id=trainer.id)
    await groups.create_invite(
        cohort_id=cohort.id,
        created_by=trainer.id,
        code="old",
        max_uses=5,
        expires_at=NOW - timedelta(seconds=1),
    )
    with pytest.raises(InvalidInviteError):
        await store.register_with_invite(code="old", username="late", password_hash="h", now=NOW)


async def test_auth_session_expires_and_ends(db: async_sessionmaker[AsyncSession]) -> None:
    store = SqlUserStore(db)
    groups = SqlCohortStore(db)
    trainer = await store.create(
        username="tom", password_hash="h", role=UserRole.TRAINER, cohort_id=None
    )
    cohort = await groups.create_cohort(name="C", trainer_id=trainer.id)
    await store.start_auth_session(
        user_id=trainer.id, token_hash="t1", csrf_token="c1", expires_at=NOW + timedelta(hours=1)
    )
    signed = await store.signed_in("t1", now=NOW)
    assert signed is not None
    assert signed.cohorts == frozenset({cohort.id})
    assert await store.signed_in("t1", now=NOW + timedelta(hours=2)) is None
    await store.end_auth_session("t1")
    assert await store.signed_in("t1", now=NOW) is None


async def test_attempts_count_per_account_and_address_by_kind(
    db: async_sessionmaker[AsyncSession],
) -> None:
    store = SqlUserStore(db)
    since = datetime.now(UTC) - timedelta(minutes=1)
    login = AttemptKind.LOGIN
    await store.claim_attempt(kind=login, username="ana", address="10.0.0.1", since=since)
    _, count = await store.claim_attempt(
        kind=login, username="bob", address="10.0.0.1", since=since
    )
    assert count == 2  # the same address
    _, count = await store.claim_attempt(
        kind=login, username="ana", address="10.0.0.9", since=since
    )
    assert count == 2  # the same account
    claimed, count = await store.claim_attempt(
        kind=AttemptKind.REGISTER, username="", address="10.0.0.1", since=since
    )
    assert count == 1  # registrations are counted apart, by address only
    await store.release_attempt(claimed)
    await store.clear_attempts(kind=login, username="ana")
    _, count = await store.claim_attempt(
        kind=login, username="zed", address="10.0.0.9", since=since
    )
    assert count == 1  # ana's attempts were cleared by her sign-in


async def test_settings_round_trip_and_delete(db: async_sessionmaker[AsyncSession]) -> None:
    store = SqlUserStore(db)
    await store.set_setting("k", "v1")
    await store.set_setting("k", "v2")
    assert await store.get_setting("k") == "v2"
    await store.set_setting("k", None)
    assert await store.get_setting("k") is None
