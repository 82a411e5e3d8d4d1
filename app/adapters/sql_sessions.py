"""SessionStore over SQLModel: practice sessions, turns, label overrides, comments, scorecards.
One short transaction per method (STYLE.md §6: never open across an LLM call). The methods a
turn calls (get, turns, storing a move, its label and state, the reply) are Core statements
run as one step each (`Steps`, docs/performance.md); the rest use the ORM."""

import logging
from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Connection, Row, Table, delete, func, insert, update
from sqlalchemy import select as core_select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.adapters.db import aware, must_get, steps_for
from app.adapters.tables import (
    CallLeaseRow,
    CommentRow,
    FeedbackReadRow,
    LabelOverrideRow,
    PracticeSessionRow,
    ScorecardRow,
    TurnRow,
    UserRow,
)
from app.domain.accounts.access import Owner
from app.domain.call.session import (
    SCRIPTED,
    Mode,
    PracticeSession,
    ReplyMeta,
    SessionKind,
    SessionOptions,
    Status,
    StoredTurn,
)
from app.domain.codec import CodecError, from_plain, to_record
from app.domain.director.state import DiscoveryState
from app.domain.errors import NotFoundError, TooManyActiveCallsError
from app.domain.labels import Label
from app.domain.language import Language
from app.domain.reading.reading import Reading
from app.domain.scorecard.card import Scorecard
from app.domain.style import StyleName
from app.domain.transcript import Role, Turn
from app.services.ports import DuplicateError, LabelOverride, SessionFilter, TurnComment

MAX_SEQ_RETRIES = 5
# Calls left open for longer than this no longer count against the cap on active calls: a
# trainee who abandoned a few is not locked out, and nobody holds more than the cap at once.
ACTIVE_WINDOW = timedelta(hours=24)

logger = logging.getLogger(__name__)
SESSIONS: Table = PracticeSessionRow.__table__  # type: ignore[attr-defined]  # SQLModel sets it
TURNS: Table = TurnRow.__table__  # type: ignore[attr-defined]


def _session(row: PracticeSessionRow | Row[Any]) -> PracticeSession:
    return PracticeSession(
        id=row.id,
        owner=Owner(user_id=row.user_id, cohort_id=row.cohort_id),
        scenario_id=row.scenario_id,
        style=StyleName(row.style),
        style_hidden=row.style_hidden,
        language=Language(row.language),
        mode=Mode(row.mode),
        kind=SessionKind(row.kind),
        seed=row.seed,
        status=Status(row.status),
        state=from_plain(DiscoveryState, dict(row.state)),
        created_at=aware(row.created_at),
        ended_at=aware(row.ended_at) if row.ended_at else None,
        overall=row.overall,
        options=from_plain(SessionOptions, row.options),
        scenario_version=row.scenario_version,
    )


def _turn(row: TurnRow | Row[Any]) -> StoredTurn:
    return StoredTurn(
        id=row.id,
        session_id=row.session_id,
        turn=Turn(
            seq=row.seq,
            role=Role(row.role),
            text=row.text,
            label=from_plain(Label, row.label) if row.label else None,
            reaction=row.reaction,
        ),
        client_id=row.client_id,
        created_at=aware(row.created_at),
        meta=from_plain(ReplyMeta, row.meta),
        reading=_reading(row.reading),
    )


def _reading(data: dict[str, Any] | None) -> Reading | None:
    """A stored reading, or None (a move stored before readings, or of an older shape: the
    director then reads it again, deterministically)."""
    if data is None:
        return None
    try:
        return from_plain(Reading, data)
    except CodecError:
        return None


_IN_CHUNK = 500  # ids per IN (...): within every SQLite build's bound on parameters


class SqlSessionStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._steps = steps_for(sessions)

    async def create(self, session: PracticeSession, *, max_active: int | None = None) -> None:
        row = PracticeSessionRow(
            id=session.id,
            user_id=session.owner.user_id,
            cohort_id=session.owner.cohort_id,
            scenario_id=session.scenario_id,
            scenario_version=session.scenario_version,
            style=session.style.value,
            style_hidden=session.style_hidden,
            language=session.language.value,
            mode=session.mode.value,
            kind=session.kind.value,
            assignment_id=session.options.assignment_id,
            seed=session.seed,
            status=session.status.value,
            state=to_record(session.state),
            options=to_record(session.options),
            created_at=session.created_at,
        )
        async with self._sessions.begin() as db:
            db.add(row)
            if max_active is not None:
                # Insert first, then count (this one included): concurrent starts can only
                # both be refused at the limit, never both pass it; a refusal rolls back.
                await db.flush()
                active = await db.exec(
                    select(func.count())
                    .select_from(PracticeSessionRow)
                    .where(
                        col(PracticeSessionRow.user_id) == session.owner.user_id,
                        col(PracticeSessionRow.status) == Status.ACTIVE.value,
                        col(PracticeSessionRow.created_at) >= session.created_at - ACTIVE_WINDOW,
                    )
                )
                if active.one() > max_active:
                    raise TooManyActiveCallsError(
                        f"you have {max_active} calls in progress: finish or end one first"
                    )

    async def get(self, session_id: UUID) -> PracticeSession | None:
        def step(conn: Connection) -> PracticeSession | None:
            row = conn.execute(core_select(SESSIONS).where(SESSIONS.c.id == session_id)).first()
            return _session(row) if row else None

        return await self._steps.read(step)

    async def search(self, query: SessionFilter) -> list[PracticeSession]:
        stmt = select(PracticeSessionRow).order_by(col(PracticeSessionRow.created_at).desc())
        owned = []
        if query.user_ids is not None:
            owned.append(col(PracticeSessionRow.user_id).in_(query.user_ids))
        if query.cohort_ids is not None:
            owned.append(col(PracticeSessionRow.cohort_id).in_(query.cohort_ids))
        if owned:
            condition = owned[0] if len(owned) == 1 else owned[0] | owned[1]
            stmt = stmt.where(condition)
        if query.scenario_id:
            stmt = stmt.where(PracticeSessionRow.scenario_id == query.scenario_id)
        if query.style:
            stmt = stmt.where(PracticeSessionRow.style == query.style)
        if query.language:
            stmt = stmt.where(PracticeSessionRow.language == query.language)
        if query.status:
            stmt = stmt.where(PracticeSessionRow.status == query.status)
        if query.since:
            stmt = stmt.where(col(PracticeSessionRow.created_at) >= query.since)
        if query.until:
            stmt = stmt.where(col(PracticeSessionRow.created_at) < query.until)
        if query.min_score is not None:
            stmt = stmt.where(col(PracticeSessionRow.overall) >= query.min_score)
        if query.max_score is not None:
            stmt = stmt.where(col(PracticeSessionRow.overall) <= query.max_score)
        if query.assignment_id is not None:
            stmt = stmt.where(PracticeSessionRow.assignment_id == query.assignment_id)
        async with self._sessions() as db:
            return [_session(row) for row in await db.exec(stmt.limit(query.limit))]

    async def turns(self, session_id: UUID) -> list[StoredTurn]:
        stmt = core_select(TURNS).where(TURNS.c.session_id == session_id).order_by(TURNS.c.seq)

        def step(conn: Connection) -> list[StoredTurn]:
            return [_turn(row) for row in conn.execute(stmt)]

        return await self._steps.read(step)

    async def reply_meta(self, session_ids: Collection[UUID]) -> list[ReplyMeta]:
        ids = list(session_ids)
        found: list[ReplyMeta] = []
        async with self._sessions() as db:
            for start in range(0, len(ids), _IN_CHUNK):
                stmt = select(TurnRow.meta).where(
                    col(TurnRow.session_id).in_(ids[start : start + _IN_CHUNK]),
                    TurnRow.role == Role.BUYER.value,
                )
                found += [from_plain(ReplyMeta, meta) for meta in await db.exec(stmt)]
        return found

    async def turn(self, turn_id: UUID) -> StoredTurn | None:
        async with self._sessions() as db:
            row = await db.get(TurnRow, turn_id)
            return _turn(row) if row else None

    async def add_trainee_turn(
        self, session_id: UUID, *, text: str, client_id: str | None, seq: int | None = None
    ) -> tuple[StoredTurn, bool]:
        # Idempotency is the unique (session_id, client_id) constraint, not process memory
        # (STYLE.md §9). The insert is tried first (the common case costs one statement); a
        # conflict is either a resend (return the stored move) or a seq race between two
        # processes (retry with the next free number).
        for _ in range(MAX_SEQ_RETRIES):
            try:
                turn = await self._append(session_id, Role.TRAINEE, text, client_id, seq=seq)
                return turn, True
            except IntegrityError:
                if client_id is not None:
                    existing = await self._by_client_id(session_id, client_id)
                    if existing is not None:
                        return existing, False
                seq = None
        raise RuntimeError(f"could not store a move in session {session_id}")

    async def _by_client_id(self, session_id: UUID, client_id: str) -> StoredTurn | None:
        stmt = select(TurnRow).where(
            TurnRow.session_id == session_id, TurnRow.client_id == client_id
        )
        async with self._sessions() as db:
            row = (await db.exec(stmt)).first()
            return _turn(row) if row else None

    async def _append(
        self,
        session_id: UUID,
        role: Role,
        text: str,
        client_id: str | None,
        *,
        reaction: str | None = None,
        meta: ReplyMeta = SCRIPTED,
        seq: int | None = None,
        turn_id: UUID | None = None,
    ) -> StoredTurn:
        row = TurnRow(
            id=turn_id or uuid4(),
            session_id=session_id,
            seq=-1 if seq is None else seq,
            role=role.value,
            text=text,
            client_id=client_id,
            reaction=reaction,
            meta=to_record(meta),
        )

        def step(conn: Connection) -> StoredTurn:
            if seq is None:
                last = conn.execute(
                    core_select(func.max(TURNS.c.seq)).where(TURNS.c.session_id == session_id)
                ).scalar_one_or_none()
                row.seq = 0 if last is None else last + 1
            conn.execute(insert(TURNS).values(row.model_dump()))
            return _turn(row)

        return await self._steps.write(step)

    async def set_label(self, turn_id: UUID, label: Label) -> StoredTurn:
        async with self._sessions.begin() as db:
            row = await must_get(db, TurnRow, turn_id, "turn")
            row.label = to_record(label)
            db.add(row)
            return _turn(row)

    async def record_move(
        self,
        turn_id: UUID,
        label: Label,
        reading: Reading,
        *,
        session_id: UUID,
        state: DiscoveryState,
    ) -> None:
        """The move's label and reading and the discovery state after it, in one
        transaction."""
        label_record, state_record = to_record(label), to_record(state)
        reading_record = to_record(reading)

        def step(conn: Connection) -> None:
            conn.execute(
                update(TURNS)
                .where(TURNS.c.id == turn_id)
                .values(label=label_record, reading=reading_record)
            )
            conn.execute(
                update(SESSIONS).where(SESSIONS.c.id == session_id).values(state=state_record)
            )

        await self._steps.write(step)

    async def save_state(self, session_id: UUID, state: DiscoveryState) -> None:
        async with self._sessions.begin() as db:
            row = await must_get(db, PracticeSessionRow, session_id, "session")
            row.state = to_record(state)
            db.add(row)

    async def save_options(self, session_id: UUID, options: SessionOptions) -> None:
        async with self._sessions.begin() as db:
            row = await must_get(db, PracticeSessionRow, session_id, "session")
            row.options = to_record(options)
            db.add(row)

    async def add_buyer_turn(
        self,
        session_id: UUID,
        *,
        turn_id: UUID,
        seq: int,
        text: str,
        reaction: str | None,
        meta: ReplyMeta,
    ) -> StoredTurn:
        try:
            return await self._append(
                session_id,
                Role.BUYER,
                text,
                None,
                reaction=reaction,
                meta=meta,
                seq=seq,
                turn_id=turn_id,
            )
        except IntegrityError as exc:
            raise DuplicateError(f"turn {seq} of session {session_id}") from exc

    async def end(
        self, session_id: UUID, *, scorecard: Scorecard, state: DiscoveryState | None = None
    ) -> None:
        async with self._sessions.begin() as db:
            await self._end(db, session_id, scorecard, state)

    async def _end(
        self,
        db: AsyncSession,
        session_id: UUID,
        scorecard: Scorecard,
        state: DiscoveryState | None,
    ) -> None:
        row = await must_get(db, PracticeSessionRow, session_id, "session")
        if row.status != Status.ENDED.value:
            row.status = Status.ENDED.value
            row.ended_at = datetime.now(UTC)
        row.overall = scorecard.overall
        if state is not None:
            row.state = to_record(state)
        db.add(row)
        await self._put_scorecard(db, session_id, scorecard)

    async def finish_with_reply(
        self, reply: StoredTurn, *, state: DiscoveryState, scorecard: Scorecard
    ) -> None:
        turn = reply.turn
        try:
            async with self._sessions.begin() as db:
                db.add(
                    TurnRow(
                        id=reply.id,
                        session_id=reply.session_id,
                        seq=turn.seq,
                        role=turn.role.value,
                        text=turn.text,
                        client_id=None,
                        reaction=turn.reaction,
                        meta=to_record(reply.meta),
                        created_at=reply.created_at,
                    )
                )
                await db.flush()  # the turn's unique seq is checked before the call ends
                await self._end(db, reply.session_id, scorecard, state)
        except IntegrityError as exc:
            raise DuplicateError(f"turn {turn.seq} of session {reply.session_id}") from exc

    async def discard(self, session_id: UUID) -> bool:
        """Deletes an unfinished session with its turns and their comments and overrides, in
        one transaction; False (and nothing deleted) when it has ended meanwhile."""
        async with self._sessions.begin() as db:
            found = await db.exec(
                select(PracticeSessionRow)
                .where(PracticeSessionRow.id == session_id)
                .with_for_update()
            )
            row = found.first()
            if row is None or row.status != Status.ACTIVE.value:
                return False
            turns = select(TurnRow.id).where(TurnRow.session_id == session_id)
            for table in (CommentRow, LabelOverrideRow):
                await db.exec(delete(table).where(col(table.turn_id).in_(turns)))
            await db.exec(delete(TurnRow).where(col(TurnRow.session_id) == session_id))
            for owned in (ScorecardRow, FeedbackReadRow, CallLeaseRow):
                await db.exec(delete(owned).where(col(owned.session_id) == session_id))
            await db.delete(row)
        return True

    async def save_scorecard(self, session_id: UUID, *, scorecard: Scorecard) -> None:
        async with self._sessions.begin() as db:
            row = await must_get(db, PracticeSessionRow, session_id, "session")
            row.overall = scorecard.overall
            db.add(row)
            await self._put_scorecard(db, session_id, scorecard)

    @staticmethod
    async def _put_scorecard(db: AsyncSession, session_id: UUID, scorecard: Scorecard) -> None:
        data = to_record(scorecard)
        card = await db.get(ScorecardRow, session_id)
        if card is None:
            card = ScorecardRow(session_id=session_id, overall=scorecard.overall, data=data)
        card.overall = scorecard.overall
        card.data = data
        card.computed_at = datetime.now(UTC)
        db.add(card)

    async def scorecard(self, session_id: UUID) -> Scorecard | None:
        async with self._sessions() as db:
            card = await db.get(ScorecardRow, session_id)
        if card is None:
            return None
        try:
            return from_plain(Scorecard, card.data)
        except CodecError:
            logger.warning("stored scorecard of session %s has an older shape", session_id)
            return None

    async def override_label(
        self, turn_id: UUID, *, trainer_id: UUID, new_label: Label
    ) -> StoredTurn:
        async with self._sessions.begin() as db:
            row = await db.get(TurnRow, turn_id)
            if row is None or row.label is None:
                raise NotFoundError("turn")
            db.add(
                LabelOverrideRow(
                    turn_id=turn_id,
                    trainer_id=trainer_id,
                    old_label=dict(row.label),
                    new_label=to_record(new_label),
                )
            )
            row.label = to_record(new_label)
            db.add(row)
            return _turn(row)

    async def overrides(self, session_id: UUID) -> list[LabelOverride]:
        stmt = (
            select(LabelOverrideRow, UserRow.username)
            .join(TurnRow, col(TurnRow.id) == LabelOverrideRow.turn_id)
            .join(UserRow, col(UserRow.id) == LabelOverrideRow.trainer_id)
            .where(TurnRow.session_id == session_id)
            .order_by(col(LabelOverrideRow.created_at))
        )
        return await self._overrides(stmt)

    async def all_overrides(self, cohort_ids: frozenset[UUID] | None) -> list[LabelOverride]:
        stmt = (
            select(LabelOverrideRow, UserRow.username)
            .join(TurnRow, col(TurnRow.id) == LabelOverrideRow.turn_id)
            .join(PracticeSessionRow, col(PracticeSessionRow.id) == TurnRow.session_id)
            .join(UserRow, col(UserRow.id) == LabelOverrideRow.trainer_id)
            .order_by(col(LabelOverrideRow.created_at))
        )
        if cohort_ids is not None:
            stmt = stmt.where(col(PracticeSessionRow.cohort_id).in_(cohort_ids))
        return await self._overrides(stmt)

    async def _overrides(self, stmt: Any) -> list[LabelOverride]:
        async with self._sessions() as db:
            return [
                LabelOverride(
                    turn_id=row.turn_id,
                    trainer_id=row.trainer_id,
                    trainer_name=name,
                    old_label=from_plain(Label, row.old_label),
                    new_label=from_plain(Label, row.new_label),
                    created_at=aware(row.created_at),
                    score_before=row.score_before,
                    score_after=row.score_after,
                )
                for row, name in await db.exec(stmt)
            ]

    async def record_override_scores(
        self, turn_id: UUID, *, before: int | None, after: int | None
    ) -> None:
        latest = (
            select(LabelOverrideRow)
            .where(LabelOverrideRow.turn_id == turn_id)
            .order_by(col(LabelOverrideRow.created_at).desc())
            .limit(1)
        )
        async with self._sessions.begin() as db:
            row = (await db.exec(latest)).first()
            if row is not None:
                row.score_before, row.score_after = before, after
                db.add(row)

    async def add_comment(self, turn_id: UUID, *, author_id: UUID, text: str) -> TurnComment:
        async with self._sessions.begin() as db:
            author = await db.get(UserRow, author_id)
            if author is None or await db.get(TurnRow, turn_id) is None:
                raise NotFoundError("turn")
            row = CommentRow(turn_id=turn_id, author_id=author_id, text=text)
            db.add(row)
            name = author.username
        return TurnComment(
            id=row.id,
            turn_id=turn_id,
            author_id=author_id,
            author_name=name,
            text=text,
            created_at=aware(row.created_at),
        )

    async def comments(self, session_id: UUID) -> list[TurnComment]:
        stmt = (
            select(CommentRow, UserRow.username)
            .join(TurnRow, col(TurnRow.id) == CommentRow.turn_id)
            .join(UserRow, col(UserRow.id) == CommentRow.author_id)
            .where(TurnRow.session_id == session_id)
            .order_by(col(CommentRow.created_at))
        )
        async with self._sessions() as db:
            return [
                TurnComment(
                    id=row.id,
                    turn_id=row.turn_id,
                    author_id=row.author_id,
                    author_name=name,
                    text=row.text,
                    created_at=aware(row.created_at),
                )
                for row, name in await db.exec(stmt)
            ]
