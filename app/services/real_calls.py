"""Real-call analysis: a transcript of a real call (pasted text with speaker prefixes, or CSV)
gets the same labels and scorecard as a practice call. Without a scenario, discovery and
outcome are marked not applicable; without a known style, so is style adaptation."""

from dataclasses import dataclass
from typing import Literal

from app.domain.call.real_call import parse_csv, parse_text
from app.domain.director.state import DiscoveryState
from app.domain.labels import MoveContext
from app.domain.language import Language, detect_language
from app.domain.scorecard.card import Scorecard
from app.domain.transcript import Role, Turn
from app.services.ports import Judge
from app.services.scoring import Scoring

MAX_TRANSCRIPT_CHARS = 200_000


@dataclass(frozen=True, slots=True)
class AnalysedCall:
    """`speakers` holds each turn's speaker name as the transcript gave it ("" if none)."""

    language: Language
    turns: tuple[Turn, ...]
    speakers: tuple[str, ...]
    scorecard: Scorecard


class CallAnalysis:
    def __init__(self, *, judge: Judge, scoring: Scoring) -> None:
        self._judge = judge
        self._scoring = scoring

    async def analyse(
        self,
        *,
        text: str,
        form: Literal["text", "csv"],
        language: Language | None,
        seller: str | None,
    ) -> AnalysedCall:
        lines = parse_csv(text, seller=seller) if form == "csv" else parse_text(text, seller=seller)
        spoken = " ".join(line.text for line in lines)
        call_language = language or detect_language(spoken)
        turns: list[Turn] = []
        for seq, line in enumerate(lines):
            label = None
            if line.role is Role.TRAINEE:
                label = await self._judge.label(
                    line.text,
                    context=MoveContext(previous=tuple(t.text for t in turns)),
                    language=call_language,
                )
            turns.append(Turn(seq=seq, role=line.role, text=line.text, label=label))
        card = self._scoring.card(
            transcript=turns,
            state=DiscoveryState(),
            scenario=None,
            style=None,
            language=call_language,
        )
        return AnalysedCall(
            language=call_language,
            turns=tuple(turns),
            speakers=tuple(line.speaker or "" for line in lines),
            scorecard=card,
        )
