"""Real-call analysis: a transcript of a real call (pasted text with speaker prefixes, or CSV)
gets the same labels and scorecard as a practice call. Without a scenario, discovery and
outcome are marked not applicable; without a known style, so is style adaptation."""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID, uuid4

from app.domain.accounts.access import (
    Actor,
    may_analyse_calls,
    may_see_all_analyses,
    may_see_analysis,
)
from app.domain.call.real_call import CallLine, parse_csv, parse_text
from app.domain.director.state import DiscoveryState
from app.domain.errors import ForbiddenError, NotFoundError
from app.domain.labels import MoveContext
from app.domain.language import Language, detect_language
from app.domain.scorecard.analysis import AnalysisSummary, SavedAnalysis
from app.domain.scorecard.card import Scorecard
from app.domain.text import well_formed
from app.domain.transcript import Role, Turn
from app.services.ports import AnalysisStore, Judge, RateLimiter, Workers
from app.services.rate_limits import RateRule
from app.services.scoring import Scoring

MAX_TRANSCRIPT_CHARS = 200_000
NAME_CHARS = 120


@dataclass(frozen=True, slots=True)
class AnalysedCall:
    """`speakers` holds each turn's speaker name as the transcript gave it ("" if none)."""

    language: Language
    turns: tuple[Turn, ...]
    speakers: tuple[str, ...]
    scorecard: Scorecard


def read_call(text: str, form: Literal["text", "csv"], seller: str | None) -> list[CallLine]:
    return parse_csv(text, seller=seller) if form == "csv" else parse_text(text, seller=seller)


class CallAnalysis:
    """Reading, labelling and scoring a transcript of up to 200,000 characters is a second
    of CPU: each step runs in the worker processes, and each trainer has a rate limit."""

    def __init__(
        self,
        *,
        judge: Judge,
        scoring: Scoring,
        store: AnalysisStore,
        workers: Workers,
        limiter: RateLimiter,
        rule: RateRule,
        clock: Callable[[], datetime],
    ) -> None:
        self._judge = judge
        self._scoring = scoring
        self._store = store
        self._workers = workers
        self._limiter = limiter
        self._rule = rule
        self._clock = clock

    async def analyse_and_save(
        self,
        actor: Actor,
        *,
        text: str,
        form: Literal["text", "csv"],
        language: Language | None,
        seller: str | None,
        name: str | None,
    ) -> SavedAnalysis:
        """Analyses the call and keeps it for the trainer's list; `name` defaults to the
        seller's first words."""
        if not may_analyse_calls(actor):
            raise ForbiddenError("trainers only")
        found = await self.analyse(actor, text=text, form=form, language=language, seller=seller)
        first = next((t.text for t in found.turns if t.role is Role.TRAINEE), "")
        title = well_formed(name or "").strip() or first
        saved = SavedAnalysis(
            id=uuid4(),
            owner_id=actor.id,
            name=title[:NAME_CHARS],
            language=found.language,
            turns=found.turns,
            speakers=found.speakers,
            scorecard=found.scorecard,
            created_at=self._clock(),
        )
        await self._store.save(saved)
        return saved

    async def saved(self, actor: Actor) -> list[AnalysisSummary]:
        """The trainer's own analyses; an admin's list holds everyone's."""
        if not may_analyse_calls(actor):
            raise ForbiddenError("trainers only")
        mine = None if may_see_all_analyses(actor) else actor.id
        return await self._store.summaries(owner_id=mine)

    async def get(self, actor: Actor, analysis_id: UUID) -> SavedAnalysis:
        found = await self._store.get(analysis_id)
        if found is None or not may_see_analysis(actor, found.owner_id):
            raise NotFoundError("analysis")
        return found

    async def analyse(
        self,
        actor: Actor,
        *,
        text: str,
        form: Literal["text", "csv"],
        language: Language | None,
        seller: str | None,
    ) -> AnalysedCall:
        await self._rule.claim(self._limiter, actor, self._clock())
        text = well_formed(text)
        lines = await self._workers.run(functools.partial(read_call, text, form, seller))
        spoken = " ".join(line.text for line in lines)
        call_language = language or detect_language(spoken)
        said = [line.text for line in lines]
        moves = [
            (line.text, MoveContext(previous=tuple(said[:seq])))
            for seq, line in enumerate(lines)
            if line.role is Role.TRAINEE
        ]
        labels = iter(await self._judge.label_many(moves, language=call_language))
        turns = [
            Turn(
                seq=seq,
                role=line.role,
                text=line.text,
                label=next(labels) if line.role is Role.TRAINEE else None,
            )
            for seq, line in enumerate(lines)
        ]
        card = await self._workers.run(
            functools.partial(
                self._scoring.card,
                transcript=turns,
                state=DiscoveryState(),
                scenario=None,
                style=None,
                language=call_language,
            )
        )
        return AnalysedCall(
            language=call_language,
            turns=tuple(turns),
            speakers=tuple(line.speaker or "" for line in lines),
            scorecard=card,
        )
