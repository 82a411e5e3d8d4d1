"""SqlSessionStore on both databases: idempotent moves, ordered turns, overrides with audit,
comments and scorecards."""

import asyncio
from dataclasses import replace
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from app.adapters.sql_sessions import SqlSessionStore
from app.adapters.sql_users import SqlUserStore
from app.domain.accounts.access import Owner, UserRole
from app.domain.call.session import SCRIPTED, Mode, PracticeSession, SessionKind, Status
from app.domain.director.state import DiscoveryState
from app.domain.labels import Label, Move, MoveKind, SpinLabel
from app.domain.language import Language
from app.domain.reading.reading import Reading
from app.domain.scorecard.card import score
from app.domain.style import StyleName
from app.services.ports import DuplicateError, SessionFilter

pytestmark = pytest.mark.anyio

SITUATION = Label(MoveKind.QUESTION, SpinLabel.SITUATION, None, True, 0.9)


async def make_session(db: async_sessionmaker[AsyncSession]) -> tuple[SqlSessionStore, UUID, UUID]:
    users = SqlUserStore(db)
    trainee = await users.create(
        username="tia", password_hash="h", role=UserRole.TRAINEE, cohort_id=None
    )
    store = SqlSessionStore(db)
    session = PracticeSession(
        id=uuid4(),
        owner=Owner(user_id=trainee.id, cohort_id=None),
        scenario_id="plant-operators",
        style=StyleName.DRIVER,
        style_hidden=False,
        language=Language.ZH,
        mode=Mode.COACH,
        kind=SessionKind.PRACTICE,
        seed=7,
        status=Status.ACTIVE,
        state=DiscoveryState(),
        created_at=datetime.now(UTC),
    )
    await store.create(session)
    return store, session.id, trainee.id


async def test_resent_move_is_stored_once(db: async_sessionmaker[AsyncSession]) -> None:
    store, session_id, _ = await make_session(db)
    first, created = await store.add_trainee_turn(session_id, text="几个厂区？", client_id="c1")
    again, created_again = await store.add_trainee_turn(
        session_id, text="几个厂区？", client_id="c1"
    )
    assert created
    assert not created_again
    assert again.id == first.id
    assert [t.turn.text for t in await store.turns(session_id)] == ["几个厂区？"]


async def test_concurrent_moves_get_distinct_seqs(db: async_sessionmaker[AsyncSession]) -> None:
    store, session_id, _ = await make_session(db)
    results = await asyncio.gather(
        *(store.add_trainee_turn(session_id, text=f"m{i}", client_id=f"c{i}") for i in range(5))
    )
    seqs = sorted(turn.turn.seq for turn, _ in results)
    assert seqs == [0, 1, 2, 3, 4]


async def test_buyer_reply_with_taken_seq_is_a_duplicate(
    db: async_sessionmaker[AsyncSession],
) -> None:
    store, session_id, _ = await make_session(db)
    await store.add_buyer_turn(
        session_id, turn_id=uuid4(), seq=0, text="Hi", reaction="greeting", meta=SCRIPTED
    )
    with pytest.raises(DuplicateError):
        await store.add_buyer_turn(
            session_id, turn_id=uuid4(), seq=0, text="Hi", reaction=None, meta=SCRIPTED
        )


async def test_label_override_is_audited(db: async_sessionmaker[AsyncSession]) -> None:
    store, session_id, _ = await make_session(db)
    users = SqlUserStore(db)
    trainer = await users.create(
        username="tom", password_hash="h", role=UserRole.TRAINER, cohort_id=None
    )
    turn, _ = await store.add_trainee_turn(session_id, text="How many sites?", client_id=None)
    await store.set_label(turn.id, SITUATION)
    pitch = Label(MoveKind.STATEMENT, SpinLabel.OTHER, Move.PITCH, None, 1.0, source="trainer")
    updated = await store.override_label(turn.id, trainer_id=trainer.id, new_label=pitch)
    assert updated.turn.label == pitch
    [audit] = await store.overrides(session_id)
    assert audit.old_label == SITUATION
    assert audit.new_label == pitch
    assert audit.trainer_name == "tom"
    assert [o.turn_id for o in await store.all_overrides(None)] == [turn.id]


async def test_state_scorecard_and_end_round_trip(db: async_sessionmaker[AsyncSession]) -> None:
    store, session_id, trainee_id = await make_session(db)
    state = DiscoveryState(problems={"turnover": 3}, patience=42)
    await store.save_state(session_id, state)
    card = score(transcript=[], state=state, scenario=None, style=None, language=Language.EN)
    card = replace(card, overall=61)
    await store.end(session_id, scorecard=card)
    session = await store.get(session_id)
    assert session is not None
    assert session.state == state
    assert session.is_ended
    assert session.overall == 61
    assert await store.scorecard(session_id) == card
    found = await store.search(SessionFilter(user_ids=frozenset({trainee_id}), min_score=60))
    assert [s.id for s in found] == [session_id]
    assert await store.search(SessionFilter(user_ids=frozenset({trainee_id}), min_score=70)) == []


async def test_comments_are_listed_with_author(db: async_sessionmaker[AsyncSession]) -> None:
    store, session_id, trainee_id = await make_session(db)
    turn, _ = await store.add_trainee_turn(session_id, text="Budget?", client_id=None)
    await store.add_comment(turn.id, author_id=trainee_id, text="<b>ok</b>")
    [comment] = await store.comments(session_id)
    assert comment.text == "<b>ok</b>"
    assert comment.author_name == "tia"


async def test_a_moves_reading_is_stored_with_its_label_and_provenance(
    db: async_sessionmaker[AsyncSession],
) -> None:
    """Issue 11: replays, retries and rescoring read the stored reading, never a new one."""
    store, session_id, _ = await make_session(db)
    turn, _ = await store.add_trainee_turn(session_id, text="人留得住吗？", client_id="r1")
    reading = Reading(
        scores={"operator-turnover": 5.25, "retraining-cost": 1.5},
        refers_back=True,
        focus="operator-turnover",
        act=SpinLabel.PROBLEM,
        known_share=0.8,
        source="llm:m:abc123",
    )
    state = DiscoveryState(problems={"operator-turnover": turn.turn.seq})
    await store.record_move(turn.id, SITUATION, reading, session_id=session_id, state=state)
    [stored] = await store.turns(session_id)
    assert stored.reading == reading
    assert stored.turn.label == SITUATION
    assert (await store.get(session_id)).state == state  # type: ignore[union-attr]
    [unread] = [t for t in await store.turns(session_id) if t.id == turn.id]
    assert unread.reading is not None
    assert unread.reading.source == "llm:m:abc123"
