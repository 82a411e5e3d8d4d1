"""AnalysisStore over SQLModel: saved real-call analyses (labelled turns and scorecard as
JSON through the domain codec), listed newest first."""

from uuid import UUID

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.adapters.db import aware
from app.adapters.tables import CallAnalysisRow
from app.domain.codec import from_plain, to_plain, to_record
from app.domain.language import Language
from app.domain.scorecard.analysis import AnalysisSummary, SavedAnalysis
from app.domain.scorecard.card import Scorecard
from app.domain.transcript import Turn


def _saved(row: CallAnalysisRow) -> SavedAnalysis:
    return SavedAnalysis(
        id=row.id,
        owner_id=row.owner_id,
        name=row.name,
        language=Language(row.language),
        turns=tuple(from_plain(Turn, t) for t in row.turns),
        speakers=tuple(str(s) for s in row.speakers),
        scorecard=from_plain(Scorecard, row.scorecard),
        created_at=aware(row.created_at),
    )


class SqlAnalysisStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def save(self, analysis: SavedAnalysis) -> None:
        row = CallAnalysisRow(
            id=analysis.id,
            owner_id=analysis.owner_id,
            name=analysis.name,
            language=analysis.language.value,
            overall=analysis.scorecard.overall,
            turns=[to_plain(t) for t in analysis.turns],
            speakers=list(analysis.speakers),
            scorecard=to_record(analysis.scorecard),
            created_at=analysis.created_at,
        )
        async with self._sessions.begin() as db:
            db.add(row)

    async def get(self, analysis_id: UUID) -> SavedAnalysis | None:
        async with self._sessions() as db:
            row = await db.get(CallAnalysisRow, analysis_id)
        return _saved(row) if row else None

    async def summaries(self, *, owner_id: UUID | None, limit: int = 200) -> list[AnalysisSummary]:
        """Newest first; `owner_id` None lists everyone's (admins)."""
        query = select(CallAnalysisRow).order_by(col(CallAnalysisRow.created_at).desc())
        if owner_id is not None:
            query = query.where(CallAnalysisRow.owner_id == owner_id)
        async with self._sessions() as db:
            rows = list(await db.exec(query.limit(limit)))
        return [
            AnalysisSummary(
                id=row.id,
                owner_id=row.owner_id,
                name=row.name,
                language=Language(row.language),
                overall=row.overall,
                turns=len(row.turns),
                created_at=aware(row.created_at),
            )
            for row in rows
        ]
