"""ChatModel over the openai SDK: any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, LM
Studio). The only module that imports `openai`; every SDK failure leaves as the port's
ChatModelUnavailableError."""

import logging
from collections.abc import AsyncIterator, Sequence
from typing import Any

import openai

from app.services.ports import ChatMessage, ChatModelUnavailableError

logger = logging.getLogger(__name__)


class OpenAIChatModel:
    def __init__(
        self, *, base_url: str | None, api_key: str, model: str, timeout_s: float, max_retries: int
    ) -> None:
        self.model = model
        self._client = openai.AsyncOpenAI(
            base_url=base_url, api_key=api_key, timeout=timeout_s, max_retries=max_retries
        )

    async def close(self) -> None:
        await self._client.close()

    def _messages(self, messages: Sequence[ChatMessage]) -> list[Any]:
        return [{"role": m.role, "content": m.content} for m in messages]

    async def stream(
        self, messages: Sequence[ChatMessage], *, temperature: float, max_tokens: int
    ) -> AsyncIterator[str]:
        try:
            stream = await self._client.chat.completions.create(
                model=self.model,
                messages=self._messages(messages),
                temperature=temperature,
                max_tokens=max_tokens,
                stream=True,
            )
            async for chunk in stream:
                if not chunk.choices:
                    continue
                delta = chunk.choices[0].delta.content
                if delta:
                    yield delta
        except openai.APIError as exc:
            raise _unavailable(exc) from exc
        except (ValueError, KeyError, TypeError) as exc:  # malformed chunks
            raise ChatModelUnavailableError(f"malformed stream: {exc}", reason="malformed") from exc

    async def complete_json(self, messages: Sequence[ChatMessage], *, max_tokens: int) -> str:
        try:
            response = await self._client.chat.completions.create(
                model=self.model,
                messages=self._messages(messages),
                temperature=0.0,
                max_tokens=max_tokens,
                response_format={"type": "json_object"},
            )
        except openai.APIError as exc:
            raise _unavailable(exc) from exc
        if not response.choices or response.choices[0].message.content is None:
            raise ChatModelUnavailableError("empty completion", reason="malformed")
        return response.choices[0].message.content


def _unavailable(exc: openai.APIError) -> ChatModelUnavailableError:
    request_id = getattr(exc, "request_id", None)
    reason = {
        openai.APITimeoutError: "timeout",
        openai.RateLimitError: "rate_limited",
        openai.APIConnectionError: "connection",
    }.get(type(exc), "server_error" if isinstance(exc, openai.InternalServerError) else "error")
    logger.warning("LLM call failed: %s (request id %s)", reason, request_id)
    return ChatModelUnavailableError(f"LLM endpoint failed: {reason}", reason=reason)
