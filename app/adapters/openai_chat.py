"""ChatModel over the openai SDK: any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, LM
Studio, llama.cpp's server). The only module that imports `openai`; every SDK failure leaves
as the port's ChatModelUnavailableError."""

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

import openai

from app.services.ports import ChatMessage, ChatModelUnavailableError

logger = logging.getLogger(__name__)

# Structured output, most precise first. OpenAI, vLLM and recent Ollama take `json_schema`;
# llama.cpp's server refuses it (422) but constrains `json_object` to a schema given beside
# it; some servers know only plain JSON mode. The first form a server accepts is kept.
STRUCTURED_FORMS = ("json_schema", "json_object+schema", "json_object")
_REFUSED_FORM = (openai.BadRequestError, openai.UnprocessableEntityError)


class OpenAIChatModel:
    def __init__(
        self, *, base_url: str | None, api_key: str, model: str, timeout_s: float, max_retries: int
    ) -> None:
        self.model = model
        self._client = openai.AsyncOpenAI(
            base_url=base_url, api_key=api_key, timeout=timeout_s, max_retries=max_retries
        )
        self._form_index = 0
        self._form_lock = asyncio.Lock()

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
            # Closed on exit: a consumer that stops early (the faithfulness guard at a
            # violation) ends the HTTP response and the server's generation with it.
            async with stream:
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

    async def complete_json(
        self,
        messages: Sequence[ChatMessage],
        *,
        schema: Mapping[str, object],
        name: str,
        max_tokens: int,
    ) -> str:
        """The model's JSON text, asked for as structured output with `schema`. The caller
        validates it: a weak model may still break the schema."""
        while True:
            form = self.structured_form
            try:
                response = await self._client.chat.completions.create(
                    model=self.model,
                    messages=self._messages(messages),
                    temperature=0.0,
                    max_tokens=max_tokens,
                    response_format=_response_format(form, schema, name),
                )
                break
            except openai.APIError as exc:
                if not _refuses_form(exc) or not await self._step_down(form):
                    raise _unavailable(exc) from exc
        if not response.choices or response.choices[0].message.content is None:
            raise ChatModelUnavailableError("empty completion", reason="malformed")
        return response.choices[0].message.content

    @property
    def structured_form(self) -> str:
        """The structured-output form this server accepted (or will be tried first)."""
        return STRUCTURED_FORMS[self._form_index]

    async def _step_down(self, refused: str) -> bool:
        """Moves to the next form after a refusal, once for the whole process (concurrent
        calls refused with the same form step down together)."""
        async with self._form_lock:
            if self.structured_form != refused:
                return True  # another call already stepped down
            if self._form_index + 1 >= len(STRUCTURED_FORMS):
                return False
            self._form_index += 1
            logger.info("LLM server refused %s; using %s", refused, self.structured_form)
            return True


def _refuses_form(exc: openai.APIError) -> bool:
    """Whether the server refused the structured-output form rather than failed: a 400 or
    422, or a 500 about `response_format` (llama-cpp-python 0.3.36 wraps its validation
    error in a 500)."""
    if isinstance(exc, _REFUSED_FORM):
        return True
    return isinstance(exc, openai.InternalServerError) and "response_format" in str(exc)


def _response_format(form: str, schema: Mapping[str, object], name: str) -> Any:
    if form == "json_schema":
        return {
            "type": "json_schema",
            "json_schema": {"name": name, "schema": dict(schema), "strict": True},
        }
    if form == "json_object+schema":
        return {"type": "json_object", "schema": dict(schema)}
    return {"type": "json_object"}


def _unavailable(exc: openai.APIError) -> ChatModelUnavailableError:
    request_id = getattr(exc, "request_id", None)
    reason = {
        openai.APITimeoutError: "timeout",
        openai.RateLimitError: "rate_limited",
        openai.APIConnectionError: "connection",
    }.get(type(exc), "server_error" if isinstance(exc, openai.InternalServerError) else "error")
    logger.warning("LLM call failed: %s (request id %s)", reason, request_id)
    return ChatModelUnavailableError(f"LLM endpoint failed: {reason}", reason=reason)
