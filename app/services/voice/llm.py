"""LlmVoice: the buyer's words from an OpenAI-compatible model, streamed and guarded. The
prompt is built only from the Direction, which holds nothing locked (DESIGN.md §2), so a
trainee cannot talk the model into revealing what the director has not unlocked. Every reply
is checked against its Direction before it is stored (issue 13): sentences are released as
they pass (app/services/voice/guard.py); a refused reply is regenerated once with the
violation named, and if that fails too the scripted voice's words are stored for the turn."""

import logging
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from dataclasses import asdict, replace

from app.domain.call.session import ReplyMeta
from app.domain.director import Direction
from app.domain.transcript import Role, Turn
from app.domain.voice.compose import chunk_text
from app.domain.voice.faithfulness import Faithfulness
from app.domain.voice.verdict import GuardOutcome, Violation, ViolationKind
from app.services.ports import (
    ChatMessage,
    ChatModel,
    ChatModelUnavailableError,
    PromptLibrary,
    Spoken,
)
from app.services.voice.guard import HoldBack
from app.services.voice.scripted import ScriptedVoice

logger = logging.getLogger(__name__)

TOKENS_PER_SENTENCE = 40  # a spoken sentence is rarely longer; a small model rambles to the cap
RECENT_TURNS = 12  # enough context for a natural reply; the director holds the rest


class LlmVoice:
    def __init__(
        self,
        *,
        chat: ChatModel,
        prompts: PromptLibrary,
        fallback: ScriptedVoice,
        temperature: float = 0.7,
    ) -> None:
        self._chat = chat
        self._prompts = prompts
        self._fallback = fallback
        self._temperature = temperature
        self.provenance = ReplyMeta(
            voice="llm",
            model=chat.model,
            prompt="buyer_reply",
            prompt_hash="/".join(
                prompts.fingerprint(f"buyer_{name}.{lang}")
                for name in ("reply", "retry")
                for lang in ("en", "zh")
            ),
        )

    def messages(self, direction: Direction, recent: Sequence[Turn]) -> list[ChatMessage]:
        system = self._prompts.render(
            f"buyer_reply.{direction.language.value}",
            {
                "persona": asdict(direction.persona),
                "stance": direction.stance.value,
                "patience": direction.patience,
                "trust": direction.trust,
                "reaction": direction.reaction.value.replace("_", " "),
                "aside": direction.aside.value.replace("_", " ") if direction.aside else None,
                "reveals": [
                    {"kind": r.kind.value, "lines": list(r.lines)} for r in direction.reveals
                ],
                "known": list(direction.known),
                "max_sentences": direction.max_sentences,
            },
        )
        chat = [ChatMessage(role="system", content=system)]
        for turn in recent[-RECENT_TURNS:]:
            role = "assistant" if turn.role is Role.BUYER else "user"
            chat.append(ChatMessage(role=role, content=turn.text))
        return chat

    async def speak(
        self, direction: Direction, recent: Sequence[Turn], *, locked: Sequence[str] = ()
    ) -> AsyncIterator[str | Spoken]:
        """Streams checked sentences and ends with the Spoken to store. A model failure on
        the first attempt raises ChatModelUnavailableError (the move stays pending); on the
        second, the scripted words are stored."""
        said = [t.text for t in recent if t.role is Role.BUYER]
        faith = Faithfulness(direction, said=said, locked=locked)
        messages = self.messages(direction, recent)
        first = HoldBack(faith.sentence, direction.language)
        async for chunk in self._attempt(messages, first, direction):
            yield chunk
        found = first.violation or faith.reply(first.text)
        if found is None:
            yield Spoken(first.text.strip(), replace(self.provenance, guard=GuardOutcome.PASSED))
            return
        logger.info("buyer reply refused (%s); regenerating", found.kind.value)
        violations = [found]
        shown = bool(first.shown)
        second = HoldBack(faith.sentence, direction.language)
        again: Violation | None
        try:
            async for chunk in self._attempt(
                self._retry(messages, direction, found), second, direction
            ):
                if not shown:  # nothing of the first reply was shown: stream this one
                    yield chunk
            again = second.violation or faith.reply(second.text)
        except ChatModelUnavailableError as exc:
            logger.warning("buyer reply retry failed: %s", exc)
            again = Violation(ViolationKind.EMPTY, "model unavailable")
        if again is None:
            yield Spoken(second.text.strip(), self._meta(GuardOutcome.REGENERATED, violations))
            return
        violations.append(again)
        text = self._fallback.compose(direction, recent)
        if not shown and not second.shown:
            for chunk in chunk_text(text, direction.language):
                yield chunk
        logger.info("buyer reply replaced by the scripted voice")
        yield Spoken(text, self._meta(GuardOutcome.REPLACED, violations))

    def _meta(self, outcome: GuardOutcome, violations: Sequence[Violation]) -> ReplyMeta:
        return replace(self.provenance, guard=outcome, violations=tuple(violations))

    async def _attempt(
        self, messages: Sequence[ChatMessage], hold: HoldBack, direction: Direction
    ) -> AsyncIterator[str]:
        """One model reply through the hold-back; stops reading at the first violation."""
        deltas = self._chat.stream(
            messages,
            temperature=self._temperature,
            max_tokens=TOKENS_PER_SENTENCE * max(1, direction.max_sentences),
        )
        try:
            async for delta in deltas:
                for chunk in hold.feed(delta):
                    yield chunk
                if hold.violation is not None:
                    return
        finally:
            if isinstance(deltas, AsyncGenerator):  # stop the model now, not at GC
                await deltas.aclose()
        for chunk in hold.finish():
            yield chunk

    def _retry(
        self, messages: Sequence[ChatMessage], direction: Direction, found: Violation
    ) -> list[ChatMessage]:
        """The same conversation and a note naming what was wrong. The refused reply is not
        sent back: it may hold what the model must not see again."""
        note = self._prompts.render(
            f"buyer_retry.{direction.language.value}",
            {
                "kind": found.kind.value,
                "detail": found.detail,
                "max_sentences": direction.max_sentences,
            },
        )
        return [*messages, ChatMessage(role="system", content=note)]
