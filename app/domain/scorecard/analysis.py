"""A real call's analysis as kept for the trainer: the labelled turns and the scorecard
(app/services/real_calls.py makes them; the analyses store keeps them)."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from app.domain.language import Language
from app.domain.scorecard.card import Scorecard
from app.domain.transcript import Turn


@dataclass(frozen=True, slots=True)
class SavedAnalysis:
    """A real call as analysed and kept: its labelled turns (the speakers' names as the
    transcript gave them) and the scorecard; `name` is the trainer's, or the first words."""

    id: UUID
    owner_id: UUID
    name: str
    language: Language
    turns: tuple[Turn, ...]
    speakers: tuple[str, ...]
    scorecard: Scorecard
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AnalysisSummary:
    id: UUID
    owner_id: UUID
    name: str
    language: Language
    overall: int
    turns: int
    created_at: datetime
