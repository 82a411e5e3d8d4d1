"""OpenAIChatModel against the fake OpenAI-compatible server over real HTTP: streaming, and
every failure the real endpoints produce becomes ChatModelUnavailableError."""

import pytest

from app.adapters.openai_chat import OpenAIChatModel
from app.services.ports import ChatMessage, ChatModelUnavailableError
from tests.fake_llm.server import FakeLlm

pytestmark = pytest.mark.anyio
HELLO = [ChatMessage(role="user", content="hello")]


def model(fake: FakeLlm, *, timeout_s: float = 5.0, max_retries: int = 0) -> OpenAIChatModel:
    return OpenAIChatModel(
        base_url=fake.url,
        api_key="test",
        model="fake-model",
        timeout_s=timeout_s,
        max_retries=max_retries,
    )


async def collect(chat: OpenAIChatModel) -> str:
    return "".join([d async for d in chat.stream(HELLO, temperature=0.5, max_tokens=50)])


async def test_stream_yields_tokens_in_order(fake_llm: FakeLlm) -> None:
    fake_llm.reply("We run three plants.")
    chat = model(fake_llm)
    assert await collect(chat) == "We run three plants."
    assert fake_llm.requests[-1]["stream"] is True
    assert fake_llm.requests[-1]["model"] == "fake-model"
    await chat.close()


async def test_rate_limit_is_retried_by_the_sdk(fake_llm: FakeLlm) -> None:
    fake_llm.fail("429", retry_after_s=0)
    fake_llm.reply("Second time lucky.")
    chat = model(fake_llm, max_retries=2)
    assert await collect(chat) == "Second time lucky."
    assert len(fake_llm.requests) == 2
    await chat.close()


@pytest.mark.parametrize(
    ("failure", "reason"),
    [("429", "rate_limited"), ("500", "server_error")],
)
async def test_http_errors_become_unavailable(fake_llm: FakeLlm, failure: str, reason: str) -> None:
    fake_llm.fail(failure)  # type: ignore[arg-type]
    chat = model(fake_llm)
    with pytest.raises(ChatModelUnavailableError) as caught:
        await collect(chat)
    assert caught.value.reason == reason
    await chat.close()


async def test_timeout_becomes_unavailable(fake_llm: FakeLlm) -> None:
    fake_llm.fail("timeout")
    chat = model(fake_llm, timeout_s=0.3)
    with pytest.raises(ChatModelUnavailableError) as caught:
        await collect(chat)
    assert caught.value.reason == "timeout"
    await chat.close()


async def test_connection_refused_becomes_unavailable() -> None:
    chat = OpenAIChatModel(
        base_url="http://127.0.0.1:9/v1", api_key="t", model="m", timeout_s=2, max_retries=0
    )
    with pytest.raises(ChatModelUnavailableError) as caught:
        await collect(chat)
    assert caught.value.reason == "connection"
    await chat.close()


@pytest.mark.parametrize("failure", ["cut", "malformed"])
async def test_broken_stream_becomes_unavailable(fake_llm: FakeLlm, failure: str) -> None:
    fake_llm.fail(failure, cut_after=2)  # type: ignore[arg-type]
    chat = model(fake_llm)
    received: list[str] = []

    async def consume() -> None:
        async for delta in chat.stream(HELLO, temperature=0.5, max_tokens=50):
            received.append(delta)

    with pytest.raises(ChatModelUnavailableError):
        await consume()
    assert len(received) <= 2
    await chat.close()


SCHEMA = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}


async def test_complete_json_asks_for_the_schema_as_structured_output(fake_llm: FakeLlm) -> None:
    fake_llm.reply('{"ok": true}')
    chat = model(fake_llm)
    text = await chat.complete_json(HELLO, schema=SCHEMA, name="answer", max_tokens=20)
    assert text == '{"ok": true}'
    assert fake_llm.requests[-1]["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "answer", "schema": SCHEMA, "strict": True},
    }
    assert chat.structured_form == "json_schema"
    await chat.close()


async def test_a_server_refusing_json_schema_gets_json_object_with_the_schema_from_then_on(
    fake_llm: FakeLlm,
) -> None:
    fake_llm.accepted_forms = {"json_object+schema", "json_object"}  # like llama.cpp's server
    fake_llm.reply('{"ok": true}')
    fake_llm.reply('{"ok": false}')
    chat = model(fake_llm)
    assert await chat.complete_json(HELLO, schema=SCHEMA, name="a", max_tokens=20) == '{"ok": true}'
    refused, accepted = fake_llm.requests[-2:]
    assert refused["response_format"]["type"] == "json_schema"
    assert accepted["response_format"] == {"type": "json_object", "schema": SCHEMA}
    await chat.complete_json(HELLO, schema=SCHEMA, name="a", max_tokens=20)
    assert len(fake_llm.requests) == 3  # detected once: no second refusal
    assert chat.structured_form == "json_object+schema"
    await chat.close()


async def test_a_refusal_wrapped_in_a_500_steps_down_too(fake_llm: FakeLlm) -> None:
    # llama-cpp-python 0.3.36's server answers json_schema with a 500 naming response_format.
    fake_llm.accepted_forms = {"json_object+schema", "json_object"}
    fake_llm.refusal_status = 500
    fake_llm.reply('{"ok": true}')
    chat = model(fake_llm)
    assert await chat.complete_json(HELLO, schema=SCHEMA, name="a", max_tokens=20) == '{"ok": true}'
    assert fake_llm.requests[-1]["response_format"] == {"type": "json_object", "schema": SCHEMA}
    assert chat.structured_form == "json_object+schema"
    await chat.close()


async def test_an_ordinary_500_is_not_taken_for_a_refusal(fake_llm: FakeLlm) -> None:
    fake_llm.fail("500")
    chat = model(fake_llm)
    with pytest.raises(ChatModelUnavailableError):
        await chat.complete_json(HELLO, schema=SCHEMA, name="a", max_tokens=20)
    assert chat.structured_form == "json_schema"
    await chat.close()


async def test_plain_json_mode_is_the_last_resort(fake_llm: FakeLlm) -> None:
    fake_llm.accepted_forms = {"json_object"}
    fake_llm.reply('{"ok": true}')
    chat = model(fake_llm)
    assert await chat.complete_json(HELLO, schema=SCHEMA, name="a", max_tokens=20) == '{"ok": true}'
    assert fake_llm.requests[-1]["response_format"] == {"type": "json_object"}
    await chat.close()


async def test_a_server_with_no_json_mode_is_unavailable(fake_llm: FakeLlm) -> None:
    fake_llm.accepted_forms = set()
    chat = model(fake_llm)
    with pytest.raises(ChatModelUnavailableError):
        await chat.complete_json(HELLO, schema=SCHEMA, name="a", max_tokens=20)
    assert len(fake_llm.requests) == 3
    await chat.close()
