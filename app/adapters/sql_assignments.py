"""AssignmentStore over SQLModel: the calls and drills trainers assign."""

from uuid import UUID

from sqlalchemy import update
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, delete, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.adapters.db import aware
from app.adapters.tables import AssignmentRow, PracticeSessionRow
from app.domain.call.assignment import Assignment
from app.domain.call.session import DrillKind, Mode
from app.domain.language import Language


def _assignment(row: AssignmentRow) -> Assignment:
    return Assignment(
        id=row.id,
        scenario_id=row.scenario_id,
        style=row.style,
        language=Language(row.language),
        mode=Mode(row.mode),
        drill=DrillKind(row.drill) if row.drill else None,
        cohort_id=row.cohort_id,
        user_id=row.user_id,
        due_on=row.due_on,
        note=row.note,
        created_by=row.created_by,
        created_at=aware(row.created_at),
    )


class SqlAssignmentStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def create(self, assignment: Assignment) -> None:
        row = AssignmentRow(
            id=assignment.id,
            cohort_id=assignment.cohort_id,
            user_id=assignment.user_id,
            scenario_id=assignment.scenario_id,
            style=assignment.style,
            language=assignment.language.value,
            mode=assignment.mode.value,
            drill=assignment.drill.value if assignment.drill else None,
            due_on=assignment.due_on,
            note=assignment.note,
            created_by=assignment.created_by,
            created_at=assignment.created_at,
        )
        async with self._sessions.begin() as db:
            db.add(row)

    async def get(self, assignment_id: UUID) -> Assignment | None:
        async with self._sessions() as db:
            row = await db.get(AssignmentRow, assignment_id)
            return _assignment(row) if row else None

    async def find(
        self,
        *,
        cohort_ids: frozenset[UUID] | None = None,
        user_ids: frozenset[UUID] | None = None,
    ) -> list[Assignment]:
        query = select(AssignmentRow).order_by(col(AssignmentRow.created_at).desc())
        wanted = []
        if cohort_ids is not None:
            wanted.append(col(AssignmentRow.cohort_id).in_(cohort_ids))
        if user_ids is not None:
            wanted.append(col(AssignmentRow.user_id).in_(user_ids))
        if wanted:
            query = query.where(or_(*wanted))
        async with self._sessions() as db:
            return [_assignment(row) for row in await db.exec(query)]

    async def delete(self, assignment_id: UUID) -> None:
        async with self._sessions.begin() as db:
            await db.exec(
                update(PracticeSessionRow)
                .where(col(PracticeSessionRow.assignment_id) == assignment_id)
                .values(assignment_id=None)
            )
            await db.exec(delete(AssignmentRow).where(col(AssignmentRow.id) == assignment_id))
