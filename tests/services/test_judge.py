"""The LLM judge against the fake OpenAI-compatible server: structured output is used when
valid; any failure falls back to the offline label, with `source` saying so."""

import json
from collections.abc import AsyncIterator

import pytest

from app.adapters.openai_chat import OpenAIChatModel
from app.adapters.prompt_files import FilePromptLibrary
from app.domain.classifier.model import load_bundled_classifier
from app.domain.errors import EmptyTextError
from app.domain.labels import NO_CONTEXT, MoveContext, SpinLabel
from app.domain.language import Language
from app.services.judge import LlmJudge, OfflineJudge
from tests.fake_llm.server import FakeLlm
from tests.support.paths import PROMPTS

pytestmark = pytest.mark.anyio
VERDICT = {
    "kind": "question",
    "label": "need_payoff",
    "move": None,
    "open": True,
    "confidence": 0.8,
}


@pytest.fixture
async def judge(fake_llm: FakeLlm) -> AsyncIterator[LlmJudge]:
    chat = OpenAIChatModel(
        base_url=fake_llm.url, api_key="t", model="fake-model", timeout_s=0.5, max_retries=0
    )
    yield LlmJudge(
        chat=chat, prompts=FilePromptLibrary(PROMPTS), fallback=load_bundled_classifier()
    )
    await chat.close()


async def test_valid_structured_output_is_used(judge: LlmJudge, fake_llm: FakeLlm) -> None:
    fake_llm.reply(json.dumps(VERDICT))
    label = await judge.label(
        "How many sites?", context=MoveContext(previous=("Hello",)), language=Language.EN
    )
    assert label.label is SpinLabel.NEED_PAYOFF  # the model's verdict, not the offline one
    assert label.source.startswith("llm:fake-model:")
    sent = fake_llm.requests[-1]
    assert sent["response_format"]["type"] == "json_schema"  # structured output with the schema
    schema = sent["response_format"]["json_schema"]["schema"]
    assert set(schema["required"]) == {"kind", "label", "move", "open", "confidence"}
    assert "How many sites?" in sent["messages"][0]["content"]


@pytest.mark.parametrize(
    "failure",
    ["bad_json", "timeout", "500", "429"],
)
async def test_any_failure_falls_back_to_offline(
    judge: LlmJudge, fake_llm: FakeLlm, failure: str
) -> None:
    fake_llm.fail(failure)  # type: ignore[arg-type]
    label = await judge.label("How many sites do you run?", context=NO_CONTEXT, language=None)
    assert label.label is SpinLabel.SITUATION
    reason = {
        "bad_json": "not_json",
        "timeout": "timeout",
        "500": "server_error",
        "429": "rate_limited",
    }
    assert label.source == f"offline:llm-fallback:{reason[failure]}"


async def test_schema_violations_fall_back(judge: LlmJudge, fake_llm: FakeLlm) -> None:
    fake_llm.reply(json.dumps(VERDICT | {"label": "vibes"}))
    label = await judge.label(
        "What keeps you up at night about downtime?", context=NO_CONTEXT, language=None
    )
    assert label.source == "offline:llm-fallback:schema"


async def test_empty_move_is_refused_by_both_judges(judge: LlmJudge) -> None:
    with pytest.raises(EmptyTextError):
        await judge.label("   ", context=NO_CONTEXT, language=None)
    with pytest.raises(EmptyTextError):
        await OfflineJudge(load_bundled_classifier).label("", context=NO_CONTEXT, language=None)
