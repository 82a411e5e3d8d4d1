"""One structured-output call to the configured model, validated: the judge and the reader
both ask this way, and both fall back to their offline answer on any failure."""

import json
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from app.services.ports import ChatMessage, ChatModel, ChatModelUnavailableError

Answer = TypeVar("Answer", bound=BaseModel)


async def ask_json(
    chat: ChatModel,
    prompt: str,
    answer: type[Answer],
    *,
    schema: dict[str, object],
    name: str,
    max_tokens: int,
) -> Answer | str:
    """The model's answer as `answer`, or why there is none: the chat model's failure
    reason, "schema" (valid JSON of the wrong shape) or "not_json". `schema` is what the
    server enforces (a portable subset, see judge.JUDGED_SCHEMA); `answer` checks the rest."""
    try:
        raw = await chat.complete_json(
            [ChatMessage(role="user", content=prompt)],
            schema=schema,
            name=name,
            max_tokens=max_tokens,
        )
        return answer.model_validate(json.loads(raw))
    except ChatModelUnavailableError as exc:
        return exc.reason
    except ValidationError:
        return "schema"
    except ValueError:
        return "not_json"
