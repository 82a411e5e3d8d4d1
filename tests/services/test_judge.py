"""The LLM judge against the fake OpenAI-compatible server: structured output is used when
valid; any failure falls back to the offline label, with `source` and the log saying so; the
judge sees the call's recent turns and the buyer's last turn."""

import json
import logging
from collections.abc import AsyncIterator, Mapping

import pytest

from app.adapters.openai_chat import OpenAIChatModel
from app.adapters.prompt_files import FilePromptLibrary
from app.domain.classifier.model import load_bundled_classifier
from app.domain.errors import EmptyTextError
from app.domain.labels import NO_CONTEXT, Move, MoveContext, SpinLabel
from app.domain.language import Language
from app.services.judge import JUDGED_SCHEMA, JudgedMove, LlmJudge, OfflineJudge
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
    assert label.scores[SpinLabel.NEED_PAYOFF] == max(label.scores.values())
    assert sum(label.scores.values()) == pytest.approx(1.0, abs=1e-3)


async def test_the_judge_sees_the_previous_turns_and_the_buyers_last_turn(
    judge: LlmJudge, fake_llm: FakeLlm
) -> None:
    fake_llm.reply(json.dumps(VERDICT | {"label": "implication"}))
    context = MoveContext(
        previous=("How often do the presses stop?", "Twice a week, it drives us mad."),
        buyer_said="Twice a week, it drives us mad.",
        problem_on_table=True,
    )
    await judge.label("What does that cost you?", context=context, language=Language.EN)
    prompt = fake_llm.requests[-1]["messages"][0]["content"]
    assert "How often do the presses stop?" in prompt
    assert "The buyer just said:\n<<<Twice a week, it drives us mad.>>>" in prompt
    assert "already admitted or hinted a difficulty" in prompt


def _keywords(schema: object) -> set[str]:
    if isinstance(schema, Mapping):
        found = set(schema)
        for key, value in schema.items():
            if key != "properties":
                found |= _keywords(value)
        for value in schema.get("properties", {}).values():
            found |= _keywords(value)
        return found
    if isinstance(schema, list):
        return set().union(*(_keywords(item) for item in schema)) if schema else set()
    return set()


def test_the_label_schema_uses_only_portable_keywords() -> None:
    # OpenAI's strict mode, vLLM, Ollama and llama.cpp's grammar converter all take these;
    # numeric bounds, titles and references are where they differ.
    allowed = {"type", "properties", "required", "additionalProperties", "enum", "anyOf"}
    assert _keywords(JUDGED_SCHEMA) <= allowed
    assert JUDGED_SCHEMA["additionalProperties"] is False
    properties, required = JUDGED_SCHEMA["properties"], JUDGED_SCHEMA["required"]
    assert isinstance(properties, dict)
    assert isinstance(required, list)
    assert set(required) == set(properties) == set(JudgedMove.model_fields)


async def test_a_compound_move_keeps_its_pitch_as_secondary_under_the_llm(
    judge: LlmJudge, fake_llm: FakeLlm
) -> None:
    fake_llm.reply(json.dumps(VERDICT | {"label": "situation"}))
    label = await judge.label(
        "Our platform connects to more than two hundred systems out of the box. "
        "Which ERP are you on?",
        context=NO_CONTEXT,
        language=Language.EN,
    )
    assert label.label is SpinLabel.SITUATION
    assert label.secondary is Move.PITCH


@pytest.mark.parametrize(
    "failure",
    ["bad_json", "timeout", "500", "429"],
)
async def test_any_failure_falls_back_to_offline(
    judge: LlmJudge, fake_llm: FakeLlm, failure: str, caplog: pytest.LogCaptureFixture
) -> None:
    fake_llm.fail(failure)  # type: ignore[arg-type]
    with caplog.at_level(logging.WARNING, logger="app.services.judge"):
        label = await judge.label("How many sites do you run?", context=NO_CONTEXT, language=None)
    assert label.label is SpinLabel.SITUATION
    reason = {
        "bad_json": "not_json",
        "timeout": "timeout",
        "500": "server_error",
        "429": "rate_limited",
    }
    assert label.source == f"offline:llm-fallback:{reason[failure]}"
    assert f"LLM judge failed ({reason[failure]})" in caplog.text


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
