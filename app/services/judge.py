"""Judges label trainee moves: OfflineJudge (the domain classifier, the default) and LlmJudge
(structured output from the configured endpoint, falling back to offline on any failure)."""

import json
import logging
from collections.abc import Sequence
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.domain.errors import EmptyTextError
from app.domain.labels import Label, Move, MoveKind, SpinLabel
from app.domain.language import Language, detect_language
from app.services.ports import ChatMessage, ChatModel, ChatModelUnavailableError, PromptLibrary

logger = logging.getLogger(__name__)

JUDGE_PROMPT = "judge_move"


class Classifier(Protocol):
    def classify(
        self, text: str, *, previous: Sequence[str] = (), language: Language | None = None
    ) -> Label: ...


class OfflineJudge:
    def __init__(self, classifier: Classifier) -> None:
        self._classifier = classifier

    async def label(
        self, text: str, *, previous: Sequence[str], language: Language | None
    ) -> Label:
        return classify(self._classifier, text, previous=previous, language=language)


def classify(
    classifier: Classifier, text: str, *, previous: Sequence[str], language: Language | None
) -> Label:
    if not text.strip():
        raise EmptyTextError("an empty move cannot be labelled")
    return classifier.classify(text, previous=previous, language=language)


class JudgedMove(BaseModel):
    """The JSON the LLM must return; anything else is a failure."""

    model_config = ConfigDict(extra="ignore")

    kind: Literal["question", "statement"]
    label: Literal["situation", "problem", "implication", "need_payoff", "other"]
    move: Literal["pitch", "rapport", "summary", "commitment", "other"] | None = None
    open: bool | None = None
    confidence: float = Field(ge=0.0, le=1.0)


class LlmJudge:
    def __init__(self, *, chat: ChatModel, prompts: PromptLibrary, fallback: Classifier) -> None:
        self._chat = chat
        self._prompts = prompts
        self._fallback = fallback
        self._source = f"llm:{chat.model}:{prompts.fingerprint(JUDGE_PROMPT)}"

    async def label(
        self, text: str, *, previous: Sequence[str], language: Language | None
    ) -> Label:
        offline = classify(self._fallback, text, previous=previous, language=language)
        prompt = self._prompts.render(
            JUDGE_PROMPT,
            {
                "move": text,
                "previous": list(previous),
                "language": (language or detect_language(text)).value,
            },
        )
        try:
            raw = await self._chat.complete_json(
                [ChatMessage(role="user", content=prompt)], max_tokens=200
            )
            judged = JudgedMove.model_validate(json.loads(raw))
            return _label(judged, source=self._source)
        except (ChatModelUnavailableError, ValidationError, ValueError) as exc:
            # The design's one silent fallback (STYLE.md §7): grading never waits on the LLM.
            logger.warning("LLM judge failed (%s); using the offline label", type(exc).__name__)
            return Label(
                kind=offline.kind,
                label=offline.label,
                move=offline.move,
                open=offline.open,
                confidence=offline.confidence,
                topics=offline.topics,
                source="offline:llm-fallback",
            )


def _label(judged: JudgedMove, *, source: str) -> Label:
    label = SpinLabel(judged.label)
    move = Move(judged.move or "other") if label is SpinLabel.OTHER else None
    kind = MoveKind(judged.kind)
    return Label(
        kind=kind,
        label=label,
        move=move,
        open=(judged.open if judged.open is not None else True)
        if kind is MoveKind.QUESTION
        else None,
        confidence=judged.confidence,
        source=source,
    )
