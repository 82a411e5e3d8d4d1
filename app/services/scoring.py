"""Scoring a call for people: the domain scorecard plus what the session adds (pre-call
plan, drill, hidden-style guess), with every finding rendered as a sentence in the session's
language. A pure function of the stored transcript and options, so it is recomputed after a
trainer's override."""

from collections.abc import Mapping, Sequence
from dataclasses import asdict, is_dataclass
from enum import Enum
from typing import Any

from app.domain.call.session import PracticeSession, StoredTurn
from app.domain.director.state import DiscoveryState
from app.domain.labels import label_from_dict
from app.domain.language import Language
from app.domain.scenario import Bilingual, Scenario
from app.domain.scorecard.card import score
from app.domain.scorecard.drill import DrillKind, score_drill
from app.domain.scorecard.feedback import FeedbackLine, explain, render_findings
from app.domain.scorecard.plan import score_plan
from app.domain.scorecard.style_guess import judge_style_guess
from app.domain.style import StyleName
from app.domain.transcript import Turn


def plain(value: object) -> Any:
    """Dataclasses, enums and tuples as JSON types."""
    if isinstance(value, Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return {k: plain(v) for k, v in asdict(value).items()}
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(plain(k)): plain(v) for k, v in value.items()}
    return value


def _lines(lines: Sequence[FeedbackLine]) -> list[dict[str, Any]]:
    return [plain(line) for line in lines]


class Scoring:
    def __init__(self, *, messages: Mapping[str, Bilingual]) -> None:
        self._messages = messages

    def session_card(
        self,
        *,
        session: PracticeSession,
        turns: Sequence[StoredTurn],
        scenario: Scenario | None,
        state: DiscoveryState,
    ) -> tuple[dict[str, Any], int]:
        return self.card(
            transcript=[t.turn for t in turns],
            state=state,
            scenario=scenario,
            style=session.style,
            actual_style=session.style,
            language=session.language,
            options=session.options,
        )

    def card(
        self,
        *,
        transcript: Sequence[Turn],
        state: DiscoveryState,
        scenario: Scenario | None,
        style: StyleName | None,
        language: Language,
        actual_style: StyleName | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> tuple[dict[str, Any], int]:
        """`scenario=None` and `style=None` score a real call: those parts do not apply."""
        card = score(
            transcript=transcript, state=state, scenario=scenario, style=style, language=language
        )
        data: dict[str, Any] = dict(card.to_dict())
        data["feedback"] = _lines(explain(card, self._messages, language))
        data["extras"] = self._extras(
            options or {}, transcript, scenario, language=language, actual_style=actual_style
        )
        return data, card.overall

    def _extras(
        self,
        options: Mapping[str, Any],
        transcript: Sequence[Turn],
        scenario: Scenario | None,
        *,
        language: Language,
        actual_style: StyleName | None,
    ) -> dict[str, Any]:
        extras: dict[str, Any] = {}
        plan = options.get("plan")
        if isinstance(plan, list) and plan:
            report = score_plan(
                [label_from_dict(item["label"]) for item in plan],
                transcript,
                texts=[str(item["text"]) for item in plan],
                scenario=scenario,
            )
            extras["plan"] = plain(report) | {
                "texts": [item["text"] for item in plan],
                "feedback": _lines(render_findings(report.findings, self._messages, language)),
            }
        drill = options.get("drill")
        if isinstance(drill, str):
            result = score_drill(DrillKind(drill), transcript)
            extras["drill"] = plain(result) | {
                "feedback": _lines(render_findings(result.findings, self._messages, language)),
            }
        guess = options.get("style_guess")
        if isinstance(guess, str) and actual_style is not None:
            verdict = judge_style_guess(StyleName(guess), actual_style, transcript)
            extras["style_guess"] = plain(verdict) | {
                "feedback": _lines(render_findings(verdict.findings, self._messages, language)),
            }
        return extras
