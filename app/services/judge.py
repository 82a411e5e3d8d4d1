"""Judges label trainee moves: OfflineJudge (the domain classifier, the default) and LlmJudge
(structured output from the configured endpoint, validated, falling back to the offline label
with the reason recorded). The judge sees the call's recent turns and the buyer's last turn,
as the offline classifier does (SPIN.md §1: an implication develops a problem on the table)."""

import functools
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from app.domain.errors import EmptyTextError
from app.domain.labels import Label, Move, MoveContext, MoveKind, SpinLabel
from app.domain.language import Language, detect_language
from app.services.ports import (
    ChatModel,
    PromptLibrary,
    Workers,
)
from app.services.structured import ask_json

logger = logging.getLogger(__name__)

JUDGE_PROMPT = "judge_move"
RECENT_TURNS = 6  # the judge sees the last few turns; the move's words carry the rest
MAX_TURN_CHARS = 400  # a long earlier turn is cut: the prompt stays small for local models


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


def _nullable(schema: dict[str, object]) -> dict[str, object]:
    return {"anyOf": [schema, {"type": "null"}]}


# Written out rather than generated: only the JSON Schema subset every structured-output
# implementation takes (OpenAI's strict mode, vLLM, Ollama, llama.cpp's grammar converter):
# no numeric bounds, no titles or $defs, every property required, no extra properties.
# Ranges are checked by JudgedMove. `label` comes first: a constrained small model then
# decides the label before anything else.
JUDGED_SCHEMA: dict[str, object] = {
    "type": "object",
    "properties": {
        "label": {"type": "string", "enum": [label.value for label in SpinLabel]},
        "move": _nullable({"type": "string", "enum": [move.value for move in Move]}),
        "kind": {"type": "string", "enum": [kind.value for kind in MoveKind]},
        "open": _nullable({"type": "boolean"}),
        "confidence": {"type": "number"},
    },
    "required": ["label", "move", "kind", "open", "confidence"],
    "additionalProperties": False,
}


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
                "previous": [_cut(turn) for turn in context.previous[-RECENT_TURNS:]],
                "buyer_said": _cut(context.buyer_said),
                "problem_on_table": context.problem_on_table,
                "language": (language or detect_language(text)).value,
            },
        )
        judged = await ask_json(
            self._chat,
            prompt,
            JudgedMove,
            schema=JUDGED_SCHEMA,
            name="spin_label",
            max_tokens=200,
        )
        if isinstance(judged, str):
            return _fallback(offline, judged)
        return _label(judged, source=self._source, offline=offline)

    async def label_many(self, moves: Moves, *, language: Language | None) -> list[Label]:
        """One request per move: the time goes to the model, not to this process."""
        return [await self.label(t, context=c, language=language) for t, c in moves]


def _mixed(
    scores: Mapping[SpinLabel, float], verdict: SpinLabel, weight: float
) -> dict[SpinLabel, float]:
    mixed = {label: (1 - weight) * scores.get(label, 0.0) for label in SpinLabel}
    mixed[verdict] += weight
    return {label: round(p, 4) for label, p in mixed.items()}


def _cut(turn: str) -> str:
    return turn if len(turn) <= MAX_TURN_CHARS else turn[: MAX_TURN_CHARS - 1] + "…"


def _fallback(offline: Label, reason: str) -> Label:
    """The design's one silent fallback (STYLE.md §7): grading never waits on the LLM. The
    reason travels in the label's source and the log."""
    logger.warning("LLM judge failed (%s); using the offline label", reason)
    return replace(offline, source=f"offline:llm-fallback:{reason}")


def _label(judged: JudgedMove, *, source: str, offline: Label) -> Label:
    """The model's verdict. A model gives one label, not a distribution: the label's scores
    mix the offline distribution with the verdict, weighted by the model's confidence, so the
    reading and the director see the verdict on top. The compound move's statement part comes
    from the offline classifier."""
    label = SpinLabel(judged.label)
    move = Move(judged.move or "other") if label is SpinLabel.OTHER else None
    kind = MoveKind(judged.kind)
    secondary = offline.secondary if offline.secondary is not move else None
    return Label(
        kind=kind,
        label=label,
        move=move,
        open=(judged.open if judged.open is not None else True)
        if kind is MoveKind.QUESTION
        else None,
        confidence=judged.confidence,
        source=source,
        scores=_mixed(offline.scores, label, judged.confidence),
        secondary=secondary,
    )
