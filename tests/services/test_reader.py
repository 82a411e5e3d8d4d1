"""Readers (issue 11): the offline reading is the director's own; the LLM reader picks items
and the act among the offline candidates with a strict schema, and any failure (or an id it
was not offered) falls back to the offline reading with the reason recorded."""

import json
from collections.abc import AsyncIterator

import pytest

from app.adapters.openai_chat import OpenAIChatModel
from app.adapters.persona_files.catalog import Catalog, load_catalog
from app.adapters.prompt_files import FilePromptLibrary
from app.domain.director import Director
from app.domain.director.state import DiscoveryState
from app.domain.labels import MoveContext, SpinLabel
from app.domain.language import Language
from app.domain.reading.reading import MATCH_THRESHOLD, OFFLINE_SOURCE
from app.domain.style import StyleName
from app.services.reader import LlmReader, OfflineReader
from tests.fake_llm.server import FakeLlm
from tests.support.paths import PERSONAS, PROMPTS

pytestmark = pytest.mark.anyio
MOVE = "When a good operator walks out, what does it take to get someone else up to speed?"
CONTEXT = MoveContext(previous=("Turnover is a real headache.",))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(PERSONAS)


@pytest.fixture
def director(catalog: Catalog) -> Director:
    scenario = catalog.scenarios["plant-operators"]
    return Director(scenario, catalog.styles[StyleName.DRIVER], Language.EN, catalog.lexicon)


@pytest.fixture
async def reader(fake_llm: FakeLlm) -> AsyncIterator[LlmReader]:
    chat = OpenAIChatModel(
        base_url=fake_llm.url, api_key="t", model="fake-model", timeout_s=0.5, max_retries=0
    )
    yield LlmReader(chat=chat, prompts=FilePromptLibrary(PROMPTS))
    await chat.close()


def _state() -> DiscoveryState:
    return DiscoveryState(problems={"operator-turnover": 3}, focus="operator-turnover")


async def test_the_offline_reader_is_the_directors_reading(director: Director) -> None:
    state = _state()
    reading = await OfflineReader().read(MOVE, director=director, state=state, context=CONTEXT)
    assert reading == director.read(state, MOVE)
    assert reading.source == OFFLINE_SOURCE


async def test_a_valid_choice_is_used_with_its_provenance(
    reader: LlmReader, director: Director, fake_llm: FakeLlm
) -> None:
    fake_llm.reply(json.dumps({"items": ["retraining-cost"], "act": "implication"}))
    reading = await reader.read(MOVE, director=director, state=_state(), context=CONTEXT)
    assert reading.act is SpinLabel.IMPLICATION
    assert reading.score("retraining-cost") > MATCH_THRESHOLD
    assert reading.source.startswith("llm:fake-model:")  # model and prompt hash
    sent = fake_llm.requests[-1]
    schema = sent["response_format"]["json_schema"]["schema"]
    assert schema["required"] == ["act", "items"]
    assert "retraining-cost" in schema["properties"]["items"]["items"]["enum"]
    prompt = sent["messages"][0]["content"]
    assert MOVE in prompt
    assert "Turnover is a real headache." in prompt
    assert "retraining-cost" in prompt  # offered as a candidate, by id and title


async def test_nothing_locked_is_in_the_prompt(
    reader: LlmReader, director: Director, fake_llm: FakeLlm, catalog: Catalog
) -> None:
    fake_llm.reply(json.dumps({"items": [], "act": "problem"}))
    await reader.read(MOVE, director=director, state=_state(), context=CONTEXT)
    prompt = fake_llm.requests[-1]["messages"][0]["content"]
    scenario = catalog.scenarios["plant-operators"]
    for _, implication in scenario.implications():
        for answer in implication.answer.en:
            assert answer not in prompt  # titles only: the buyer's locked words stay out


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ('{"items": ["no-such-item"], "act": "problem"}', "unknown_item"),
        ('{"items": ["retraining-cost"], "act": "pitch"}', "schema"),
        ('{"items": ["retraining-cost"], "act": "problem", "extra": 1}', "schema"),
        ("this is not json", "not_json"),
    ],
)
async def test_a_bad_answer_falls_back_to_the_offline_reading(
    reader: LlmReader, director: Director, fake_llm: FakeLlm, reply: str, reason: str
) -> None:
    fake_llm.reply(reply)
    state = _state()
    reading = await reader.read(MOVE, director=director, state=state, context=CONTEXT)
    offline = director.read(state, MOVE)
    assert reading.scores == offline.scores
    assert reading.act is None
    assert reading.source == f"{OFFLINE_SOURCE}:llm-fallback:{reason}"


@pytest.mark.parametrize("failure", ["timeout", "500", "429"])
async def test_a_failing_server_falls_back_to_the_offline_reading(
    reader: LlmReader, director: Director, fake_llm: FakeLlm, failure: str
) -> None:
    fake_llm.fail(failure)  # type: ignore[arg-type]
    reading = await reader.read(MOVE, director=director, state=_state(), context=CONTEXT)
    assert ":llm-fallback:" in reading.source
    assert reading.act is None
