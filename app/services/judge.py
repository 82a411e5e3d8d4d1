"""Judges label trainee moves: OfflineJudge (the domain classifier, the default) and LlmJudge
(structured output from the configured endpoint, validated, falling back to the offline label
with the reason recorded)."""

import functools
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.domain.errors import EmptyTextError
from app.domain.labels import Label, Move, MoveContext, MoveKind, SpinLabel
from app.domain.language import Language, detect_language
from app.services.ports import (
    ChatMessage,
    ChatModel,
    ChatModelUnavailableError,
    PromptLibrary,
    Workers,
)

logger = logging.getLogger(__name__)

JUDGE_PROMPT = "judge_move"
RECENT_TURNS = 6  # the judge sees the last few turns; the move's words carry the rest


class Classifier(Protocol):
    def classify(
        self, text: str, *, context: MoveContext = ..., language: Language | None = None
    ) -> Label: ...


Moves = Sequence[tuple[str, MoveContext]]


class OfflineJudge:
    """`load` builds the classifier (a picklable function, e.g. the bundled model's cached
    loader), so a worker process builds its own copy instead of receiving a megabyte of
    weights with every batch."""

    def __init__(self, load: Callable[[], Classifier], *, workers: Workers | None = None) -> None:
        self._load = load
        self._classifier = load()
        self._workers = workers

    async def label(self, text: str, *, context: MoveContext, language: Language | None) -> Label:
        return classify(self._classifier, text, context=context, language=language)

    async def label_many(self, moves: Moves, *, language: Language | None) -> list[Label]:
        """A batch is labelled in a worker process when there are workers (the event loop
        stays free for every other user), else here."""
        if self._workers is None:
            return label_all(self._load, list(moves), language)
        return await self._workers.run(
            functools.partial(label_all, self._load, list(moves), language)
        )


def label_all(
    load: Callable[[], Classifier], moves: Moves, language: Language | None
) -> list[Label]:
    classifier = load()
    return [classify(classifier, t, context=c, language=language) for t, c in moves]


def classify(
    classifier: Classifier, text: str, *, context: MoveContext, language: Language | None
) -> Label:
    if not text.strip():
        raise EmptyTextError("an empty move cannot be labelled")
    return classifier.classify(text, context=context, language=language)


class JudgedMove(BaseModel):
    """The JSON the LLM must return; anything else is a failure."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["question", "statement"]
    label: Literal["situation", "problem", "implication", "need_payoff", "other"]
    move: Literal["pitch", "rapport", "summary", "commitment", "other"] | None
    open: bool | None
    confidence: float = Field(ge=0.0, le=1.0)


JUDGED_SCHEMA = JudgedMove.model_json_schema()


class LlmJudge:
    def __init__(self, *, chat: ChatModel, prompts: PromptLibrary, fallback: Classifier) -> None:
        self._chat = chat
        self._prompts = prompts
        self._fallback = fallback
        self._source = f"llm:{chat.model}:{prompts.fingerprint(JUDGE_PROMPT)}"

    async def label(self, text: str, *, context: MoveContext, language: Language | None) -> Label:
        offline = classify(self._fallback, text, context=context, language=language)
        prompt = self._prompts.render(
            JUDGE_PROMPT,
            {
                "move": text,
                "previous": list(context.previous[-RECENT_TURNS:]),
                "language": (language or detect_language(text)).value,
            },
        )
        try:
            raw = await self._chat.complete_json(
                [ChatMessage(role="user", content=prompt)],
                schema=JUDGED_SCHEMA,
                name="spin_label",
                max_tokens=200,
            )
            judged = JudgedMove.model_validate(json.loads(raw))
        except ChatModelUnavailableError as exc:
            return _fallback(offline, exc.reason)
        except ValidationError:
            return _fallback(offline, "schema")
        except ValueError:
            return _fallback(offline, "not_json")
        return _label(judged, source=self._source, scores=offline.scores)

    async def label_many(self, moves: Moves, *, language: Language | None) -> list[Label]:
        """One request per move: the time goes to the model, not to this process."""
        return [await self.label(t, context=c, language=language) for t, c in moves]


def _fallback(offline: Label, reason: str) -> Label:
    """The design's one silent fallback (STYLE.md §7): grading never waits on the LLM. The
    reason travels in the label's source and the log."""
    logger.warning("LLM judge failed (%s); using the offline label", reason)
    return replace(offline, source=f"offline:llm-fallback:{reason}")


def _label(judged: JudgedMove, *, source: str, scores: dict[SpinLabel, float]) -> Label:
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
        scores=scores,
    )
