"""The stores that keep one user from corrupting a call or crowding out others (issue 14), on
SQLite and PostgreSQL: the writer lease of a call, per-user rate limits, the cap on active
calls, and a buyer's last turn stored with the end of the call in one transaction."""

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from app.adapters.sql_call_leases import SqlCallLeases
from app.adapters.sql_rate_limits import SqlRateLimiter
from app.adapters.sql_sessions import SqlSessionStore
from app.adapters.sql_users import SqlUserStore
from app.domain.accounts.access import Owner, UserRole
from app.domain.call.session import Mode, PracticeSession, SessionKind, Status, StoredTurn
from app.domain.director.state import DiscoveryState
from app.domain.errors import TooManyActiveCallsError
from app.domain.language import Language
from app.domain.scorecard.card import score
from app.domain.style import StyleName
from app.domain.transcript import Role, Turn
from app.services.ports import DuplicateError, SessionFilter

pytestmark = pytest.mark.anyio

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(seconds=20)


async def a_user(db: async_sessionmaker[AsyncSession], name: str = "tia") -> UUID:
    user = await SqlUserStore(db).create(
        username=name, password_hash="h", role=UserRole.TRAINEE, cohort_id=None
    )
    return user.id


def a_session(user_id: UUID, *, created_at: datetime = NOW) -> PracticeSession:
    return PracticeSession(
        id=uuid4(),
        owner=Owner(user_id=user_id, cohort_id=None),
        scenario_id="plant-operators",
        style=StyleName.DRIVER,
        style_hidden=False,
        language=Language.EN,
        mode=Mode.COACH,
        kind=SessionKind.PRACTICE,
        seed=7,
        status=Status.ACTIVE,
        state=DiscoveryState(),
        created_at=created_at,
    )


async def a_call(db: async_sessionmaker[AsyncSession]) -> UUID:
    session = a_session(await a_user(db))
    await SqlSessionStore(db).create(session)
    return session.id


async def test_one_of_many_simultaneous_claims_wins_the_lease(
    db: async_sessionmaker[AsyncSession],
) -> None:
    call = await a_call(db)
    leases = SqlCallLeases(db)
    holders = [uuid4() for _ in range(8)]
    won = await asyncio.gather(
        *(leases.claim(call, holder=h, now=NOW, until=NOW + LEASE) for h in holders)
    )
    assert sum(won) == 1


async def test_a_held_lease_is_refused_until_released_or_expired(
    db: async_sessionmaker[AsyncSession],
) -> None:
    call = await a_call(db)
    leases = SqlCallLeases(db)
    first, second, third = uuid4(), uuid4(), uuid4()
    assert await leases.claim(call, holder=first, now=NOW, until=NOW + LEASE)
    assert not await leases.claim(call, holder=second, now=NOW, until=NOW + LEASE)
    assert not await leases.renew(call, holder=second, until=NOW + 2 * LEASE)
    assert await leases.renew(call, holder=first, until=NOW + 2 * LEASE)
    later = NOW + LEASE + timedelta(seconds=1)  # past the first lease, not the renewed one
    assert not await leases.claim(call, holder=second, now=later, until=later + LEASE)
    expired = NOW + 2 * LEASE + timedelta(seconds=1)  # a crashed holder's lease runs out
    assert await leases.claim(call, holder=second, now=expired, until=expired + LEASE)
    await leases.release(call, holder=first)  # no longer the holder: changes nothing
    assert not await leases.claim(call, holder=third, now=expired, until=expired + LEASE)
    await leases.release(call, holder=second)
    assert await leases.claim(call, holder=third, now=expired, until=expired + LEASE)


async def test_simultaneous_claims_never_pass_the_rate_limit(
    db: async_sessionmaker[AsyncSession],
) -> None:
    user = await a_user(db)
    limiter = SqlRateLimiter(db)
    window = timedelta(minutes=1)
    passed = await asyncio.gather(
        *(
            limiter.claim(user_id=user, action="classify", limit=3, window=window, now=NOW)
            for _ in range(12)
        )
    )
    assert sum(passed) == 3
    other = await limiter.claim(user_id=user, action="analysis", limit=3, window=window, now=NOW)
    assert other  # each action has its own count
    later = NOW + window + timedelta(seconds=1)
    again = await limiter.claim(user_id=user, action="classify", limit=3, window=window, now=later)
    assert again  # the window moved on


async def test_the_cap_on_active_calls_counts_the_owners_recent_active_calls(
    db: async_sessionmaker[AsyncSession],
) -> None:
    user, other = await a_user(db), await a_user(db, "ola")
    store = SqlSessionStore(db)
    stale = a_session(user, created_at=NOW - timedelta(days=2))  # abandoned long ago
    await store.create(stale)
    for _ in range(2):
        await store.create(a_session(user), max_active=2)
    with pytest.raises(TooManyActiveCallsError):
        await store.create(a_session(user), max_active=2)
    await store.create(a_session(other), max_active=2)  # another user's calls do not count
    assert len(await all_sessions(store, user)) == 3  # the refused one is gone


async def all_sessions(store: SqlSessionStore, user: UUID) -> list[PracticeSession]:
    return await store.search(SessionFilter(user_ids=frozenset({user})))


def buyer_turn(session_id: UUID, seq: int) -> StoredTurn:
    return StoredTurn(
        id=uuid4(),
        session_id=session_id,
        turn=Turn(seq=seq, role=Role.BUYER, text="Goodbye.", reaction="end_call"),
        client_id=None,
        created_at=NOW,
    )


async def test_the_buyers_last_turn_ends_the_call_in_the_same_transaction(
    db: async_sessionmaker[AsyncSession],
) -> None:
    call = await a_call(db)
    store = SqlSessionStore(db)
    card = score(
        transcript=[], state=DiscoveryState(), scenario=None, style=None, language=Language.EN
    )
    state = DiscoveryState(moves=3)
    await store.finish_with_reply(buyer_turn(call, 0), state=state, scorecard=card)
    ended = await store.get(call)
    assert ended is not None
    assert ended.status is Status.ENDED
    assert ended.state.moves == 3
    assert await store.scorecard(call) is not None
    assert [t.turn.text for t in await store.turns(call)] == ["Goodbye."]


async def test_a_last_turn_that_is_already_stored_leaves_the_call_as_it_was(
    db: async_sessionmaker[AsyncSession],
) -> None:
    other = await a_call(db)
    store = SqlSessionStore(db)
    await store.add_buyer_turn(
        other, turn_id=uuid4(), seq=0, text="Hello.", reaction=None, meta=buyer_turn(other, 0).meta
    )
    card = score(
        transcript=[], state=DiscoveryState(), scenario=None, style=None, language=Language.EN
    )
    with pytest.raises(DuplicateError):
        await store.finish_with_reply(buyer_turn(other, 0), state=DiscoveryState(), scorecard=card)
    unchanged = await store.get(other)
    assert unchanged is not None
    assert unchanged.status is Status.ACTIVE
    assert await store.scorecard(other) is None
