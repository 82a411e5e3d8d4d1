"""Real-call analysis: a transcript of a real call (pasted text with speaker prefixes, or CSV)
gets the same labels and scorecard as a practice call. Without a scenario, discovery and
outcome are marked not applicable; without a known style, so is style adaptation."""

from typing import Any, Literal

from app.domain.call.real_call import parse_csv, parse_text
from app.domain.director.state import DiscoveryState
from app.domain.labels import label_to_dict
from app.domain.language import Language, detect_language
from app.domain.transcript import Role, Turn
from app.services.ports import Judge
from app.services.scoring import Scoring

MAX_TRANSCRIPT_CHARS = 200_000


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
    ) -> dict[str, Any]:
        lines = parse_csv(text, seller=seller) if form == "csv" else parse_text(text, seller=seller)
        spoken = " ".join(line.text for line in lines)
        call_language = language or detect_language(spoken)
        turns: list[Turn] = []
        for seq, line in enumerate(lines):
            label = None
            if line.role is Role.TRAINEE:
                label = await self._judge.label(
                    line.text, previous=[t.text for t in turns][-6:], language=call_language
                )
            turns.append(Turn(seq=seq, role=line.role, text=line.text, label=label))
        card, overall = self._scoring.card(
            transcript=turns,
            state=DiscoveryState(),
            scenario=None,
            style=None,
            language=call_language,
        )
        return {
            "language": call_language.value,
            "turns": [
                {
                    "seq": t.seq,
                    "role": t.role.value,
                    "speaker": lines[t.seq].speaker,
                    "text": t.text,
                    "label": label_to_dict(t.label) if t.label else None,
                }
                for t in turns
            ],
            "overall": overall,
            "scorecard": card,
        }
