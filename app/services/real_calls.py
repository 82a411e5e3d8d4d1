"""Real-call analysis: a transcript of a real call (pasted text with speaker prefixes, or CSV)
gets the same labels and scorecard as a practice call. Without a scenario, discovery and
outcome are marked not applicable; without a known style, so is style adaptation."""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from app.domain.accounts.access import Actor
from app.domain.call.real_call import CallLine, parse_csv, parse_text
from app.domain.director.state import DiscoveryState
from app.domain.labels import MoveContext
from app.domain.language import Language, detect_language
from app.domain.scorecard.card import Scorecard
from app.domain.transcript import Role, Turn
from app.services.ports import Judge, RateLimiter, Workers
from app.services.rate_limits import RateRule
from app.services.scoring import Scoring

MAX_TRANSCRIPT_CHARS = 200_000


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
        workers: Workers,
        limiter: RateLimiter,
        rule: RateRule,
        clock: Callable[[], datetime],
    ) -> None:
        self._judge = judge
        self._scoring = scoring
        self._workers = workers
        self._limiter = limiter
        self._rule = rule
        self._clock = clock

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
