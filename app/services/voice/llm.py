"""LlmVoice: the buyer's words from an OpenAI-compatible model, streamed. The prompt is built
only from the Direction, which holds nothing locked (DESIGN.md §2), so a trainee cannot talk
the model into revealing what the director has not unlocked."""

from collections.abc import AsyncIterator, Sequence
from dataclasses import asdict

from app.domain.call.session import ReplyMeta
from app.domain.director import Direction
from app.domain.transcript import Role, Turn
from app.services.ports import ChatMessage, ChatModel, PromptLibrary

TOKENS_PER_SENTENCE = 60
RECENT_TURNS = 12  # enough context for a natural reply; the director holds the rest


class LlmVoice:
    def __init__(
        self, *, chat: ChatModel, prompts: PromptLibrary, temperature: float = 0.7
    ) -> None:
        self._chat = chat
        self._prompts = prompts
        self._temperature = temperature
        self.provenance = ReplyMeta(
            voice="llm",
            model=chat.model,
            prompt="buyer_reply",
            prompt_hash=prompts.fingerprint("buyer_reply.en")
            + "/"
            + prompts.fingerprint("buyer_reply.zh"),
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

    async def speak(self, direction: Direction, recent: Sequence[Turn]) -> AsyncIterator[str]:
        async for delta in self._chat.stream(
            self.messages(direction, recent),
            temperature=self._temperature,
            max_tokens=TOKENS_PER_SENTENCE * max(1, direction.max_sentences),
        ):
            yield delta
