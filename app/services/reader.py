"""Readers turn a trainee move into a Reading (DESIGN.md §2, step 0): OfflineReader (the
domain's reading, the default) and LlmReader (one structured-output call that picks the items
and the act among the offline reading's candidates, validated, falling back to the offline
reading with the reason recorded)."""

import logging
from dataclasses import replace
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.domain.director import Director
from app.domain.director.state import DiscoveryState
from app.domain.labels import MoveContext, SpinLabel
from app.domain.reading.index import ItemKind
from app.domain.reading.reading import MATCH_THRESHOLD, Reading
from app.services.ports import ChatModel, PromptLibrary
from app.services.structured import ask_json

logger = logging.getLogger(__name__)

READER_PROMPT = "read_move"
CANDIDATES = 8  # items the model may choose from: the offline reading's best, and the focus's
RECENT_TURNS = 4
# A model's choice counts as a clear match; the director still applies every reveal rule, so
# a choice can never unlock what the state does not allow.
CHOSEN_SCORE = MATCH_THRESHOLD + 1.0


class OfflineReader:
    async def read(
        self, text: str, *, director: Director, state: DiscoveryState, context: MoveContext
    ) -> Reading:
        del context  # the offline reading uses the state's focus, not the words before
        return director.read(state, text)


ACTS = ("situation", "problem", "implication", "need_payoff", "other")


class ReadMove(BaseModel):
    """The JSON the model must return; anything else is a failure."""

    model_config = ConfigDict(extra="forbid")

    act: Literal["situation", "problem", "implication", "need_payoff", "other"]
    items: list[str] = Field(max_length=2)


def read_schema(candidates: list[str]) -> dict[str, object]:
    """The portable subset every structured-output server takes (see judge.JUDGED_SCHEMA),
    the item ids constrained to the candidates offered; `act` first, so a small model
    decides it before the items."""
    return {
        "type": "object",
        "properties": {
            "act": {"type": "string", "enum": list(ACTS)},
            "items": {"type": "array", "items": {"type": "string", "enum": candidates}},
        },
        "required": ["act", "items"],
        "additionalProperties": False,
    }


class LlmReader:
    def __init__(self, *, chat: ChatModel, prompts: PromptLibrary) -> None:
        self._chat = chat
        self._prompts = prompts
        self._source = f"llm:{chat.model}:{prompts.fingerprint(READER_PROMPT)}"

    async def read(
        self, text: str, *, director: Director, state: DiscoveryState, context: MoveContext
    ) -> Reading:
        offline = director.read(state, text)
        candidates = _candidates(director, offline, state)
        if not candidates:
            return offline
        prompt = self._prompts.render(
            READER_PROMPT,
            {
                "move": text,
                "recent": list(context.previous[-RECENT_TURNS:]),
                "language": director.language.value,
                "candidates": [
                    {"id": item_id, "kind": kind.value, "title": title}
                    for item_id, kind, title in candidates
                ],
            },
        )
        ids = [item_id for item_id, _, _ in candidates]
        chosen = await ask_json(
            self._chat,
            prompt,
            ReadMove,
            schema=read_schema(ids),
            name="move_reading",
            max_tokens=120,
        )
        if isinstance(chosen, str):
            return _fallback(offline, chosen)
        if any(item not in ids for item in chosen.items):
            return _fallback(offline, "unknown_item")  # never an id it was not offered
        scores = dict(offline.scores)
        for item in chosen.items:
            scores[item] = max(scores.get(item, 0.0), CHOSEN_SCORE)
        return replace(offline, scores=scores, act=SpinLabel(chosen.act), source=self._source)


def _candidates(
    director: Director, offline: Reading, state: DiscoveryState
) -> list[tuple[str, ItemKind, str]]:
    """The offline reading's best items and the focus's family, with titles in the call's
    language. Facts have no title: their cue words stand in."""
    index = director.index
    ranked = [i for i, _ in sorted(offline.scores.items(), key=lambda kv: -kv[1])]
    family = sorted(index.family(state.focus or ""), key=lambda i: index.items[i].order)
    chosen: list[str] = []
    for item_id in [*ranked, *family]:
        if item_id in index.items and item_id not in chosen and item_id != "advance":
            chosen.append(item_id)
    titles = director.titles()
    return [(i, index.items[i].kind, titles[i]) for i in chosen[:CANDIDATES] if i in titles]


def _fallback(offline: Reading, reason: str) -> Reading:
    logger.warning("LLM reader failed (%s); using the offline reading", reason)
    return replace(offline, source=f"{offline.source}:llm-fallback:{reason}")
