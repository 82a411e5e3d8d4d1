"""FeedbackStore over SQLModel: which comments and label corrections on a trainee's calls
they have not read yet."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import and_, func, or_
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.adapters.tables import (
    CommentRow,
    FeedbackReadRow,
    LabelOverrideRow,
    PracticeSessionRow,
    TurnRow,
)


class SqlFeedbackStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def unread(self, owner_id: UUID) -> dict[UUID, int]:
        counts: dict[UUID, int] = {}
        async with self._sessions() as db:
            for table, author in (
                (CommentRow, CommentRow.author_id),
                (LabelOverrideRow, LabelOverrideRow.trainer_id),
            ):
                query = (
                    select(PracticeSessionRow.id, func.count())
                    .join(TurnRow, col(TurnRow.session_id) == PracticeSessionRow.id)
                    .join(table, col(table.turn_id) == TurnRow.id)
                    .join(
                        FeedbackReadRow,
                        and_(
                            col(FeedbackReadRow.session_id) == PracticeSessionRow.id,
                            col(FeedbackReadRow.user_id) == owner_id,
                        ),
                        isouter=True,
                    )
                    .where(
                        PracticeSessionRow.user_id == owner_id,
                        # only ended calls have a scorecard to read it on
                        PracticeSessionRow.status == "ended",
                        col(author) != owner_id,
                        or_(
                            col(FeedbackReadRow.seen_at).is_(None),
                            col(table.created_at) > FeedbackReadRow.seen_at,
                        ),
                    )
                    .group_by(col(PracticeSessionRow.id))
                )
                for session_id, n in await db.exec(query):
                    counts[session_id] = counts.get(session_id, 0) + n
        return counts

    async def mark_seen(self, *, user_id: UUID, session_id: UUID, at: datetime) -> None:
        async with self._sessions.begin() as db:
            row = await db.get(FeedbackReadRow, (user_id, session_id))
            if row is None:
                row = FeedbackReadRow(user_id=user_id, session_id=session_id, seen_at=at)
            row.seen_at = at
            db.add(row)
