"""The LLM voice's faithfulness guard against the fake OpenAI-compatible server: a faithful
reply streams sentence by sentence and is stored as it was; an invented figure, a name, the
wrong language or locked content is never shown, the reply is regenerated once with the
violation named, and the scripted words stand in when that fails too. Everything the guard
did is in the reply's metadata."""

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from app.adapters.openai_chat import OpenAIChatModel
from app.adapters.persona_files.catalog import Catalog, load_catalog
from app.adapters.prompt_files import FilePromptLibrary
from app.domain.director import Direction, Director
from app.domain.director.state import DiscoveryState
from app.domain.labels import Label
from app.domain.language import Language
from app.domain.style import StyleName
from app.domain.transcript import Role, Turn
from app.domain.voice.faithfulness import locked_texts
from app.domain.voice.verdict import GuardOutcome, ViolationKind
from app.services.ports import Spoken
from app.services.voice.llm import LlmVoice
from app.services.voice.scripted import ScriptedVoice
from tests.factories import S
from tests.fake_llm.server import FakeLlm
from tests.support.paths import PERSONAS, PROMPTS

pytestmark = pytest.mark.anyio

CATALOG: Catalog = load_catalog(PERSONAS)
SCENARIO = CATALOG.scenarios["plant-operators"]
QUESTION = {
    Language.EN: "How many operators do you have on the shifts?",
    Language.ZH: "你们现在有多少操作工？",
}


@dataclass
class Call:
    direction: Direction
    recent: list[Turn]
    locked: list[str]


def asked(language: Language, text: str | None = None, label: Label = S) -> Call:
    """The plant-operators call after one move: the director's direction for the reply."""
    director = Director(SCENARIO, CATALOG.styles[StyleName.ANALYTICAL], language, CATALOG.lexicon)
    state = DiscoveryState()
    opening = director.open(state)
    move = text or QUESTION[language]
    recent = [
        Turn(0, Role.BUYER, opening.reveals[0].lines[0], reaction="greeting"),
        Turn(1, Role.TRAINEE, move, label=label),
    ]
    direction = director.direct(state, seq=1, text=move, label=label, seed=3)
    return Call(direction, recent, locked_texts(SCENARIO, state, language))


@pytest.fixture
async def voice(fake_llm: FakeLlm) -> AsyncIterator[LlmVoice]:
    chat = OpenAIChatModel(
        base_url=fake_llm.url, api_key="test", model="fake-model", timeout_s=5, max_retries=0
    )
    yield LlmVoice(
        chat=chat, prompts=FilePromptLibrary(PROMPTS), fallback=ScriptedVoice(CATALOG.styles)
    )
    await chat.close()


async def speak(voice: LlmVoice, call: Call) -> tuple[list[str], Spoken]:
    chunks: list[str] = []
    spoken: Spoken | None = None
    async for piece in voice.speak(call.direction, call.recent, locked=call.locked):
        if isinstance(piece, Spoken):
            spoken = piece
        else:
            chunks.append(piece)
    assert spoken is not None, "a guarded reply always ends with what to store"
    return chunks, spoken


def sent(fake: FakeLlm) -> str:
    return "\n".join(m["content"] for r in fake.requests for m in r["messages"])


async def test_faithful_reply_streams_by_sentence_and_passes(
    voice: LlmVoice, fake_llm: FakeLlm
) -> None:
    fake_llm.reply("We have 38 operators. Only nine can run the old cells alone.")
    chunks, spoken = await speak(voice, asked(Language.EN))
    assert chunks == ["We have 38 operators. ", "Only nine can run the old cells alone."]
    assert spoken.text == "We have 38 operators. Only nine can run the old cells alone."
    assert spoken.meta.guard is GuardOutcome.PASSED
    assert spoken.meta.violations == ()
    assert len(fake_llm.requests) == 1


async def test_invented_figure_is_never_shown_and_the_reply_is_regenerated(
    voice: LlmVoice, fake_llm: FakeLlm
) -> None:
    fake_llm.reply("There's 10 operators running the old cells.")  # the scenario says 38
    fake_llm.reply("Thirty-eight operators, and nine of them certified.")
    chunks, spoken = await speak(voice, asked(Language.EN))
    assert "10" not in "".join(chunks)
    assert "".join(chunks) == "Thirty-eight operators, and nine of them certified."
    assert spoken.meta.guard is GuardOutcome.REGENERATED
    assert [(v.kind, v.detail) for v in spoken.meta.violations] == [(ViolationKind.FIGURE, "10")]
    retry_note = fake_llm.requests[1]["messages"][-1]["content"]
    assert "10" in retry_note  # the violation is named to the model


async def test_two_unfaithful_replies_are_replaced_by_the_scripted_words(
    voice: LlmVoice, fake_llm: FakeLlm
) -> None:
    call = asked(Language.EN)
    fake_llm.reply("We have 12 operators.")
    fake_llm.reply("Around 50 people, I think.")
    chunks, spoken = await speak(voice, call)
    scripted = ScriptedVoice(CATALOG.styles).compose(call.direction, call.recent)
    assert spoken.text == scripted
    assert "".join(chunks) == scripted  # nothing of the model was shown: the fallback streams
    assert spoken.meta.guard is GuardOutcome.REPLACED
    assert [v.detail for v in spoken.meta.violations] == ["12", "50"]
    assert spoken.meta.voice == "llm"


async def test_a_violation_after_a_shown_sentence_is_corrected_by_the_stored_text(
    voice: LlmVoice, fake_llm: FakeLlm
) -> None:
    fake_llm.reply("We have 38 operators. We also run 12 robots.")
    fake_llm.reply("We have 38 operators, nine of them certified.")
    chunks, spoken = await speak(voice, asked(Language.EN))
    assert chunks == ["We have 38 operators. "]  # the robots were held back
    assert spoken.text == "We have 38 operators, nine of them certified."
    assert spoken.meta.guard is GuardOutcome.REGENERATED


async def test_an_invented_name_is_refused(voice: LlmVoice, fake_llm: FakeLlm) -> None:
    fake_llm.reply("Our 38 operators are trained by Siemens.")
    fake_llm.reply("We have 38 operators.")
    _, spoken = await speak(voice, asked(Language.EN))
    assert [(v.kind, v.detail) for v in spoken.meta.violations] == [(ViolationKind.NAME, "Siemens")]


async def test_a_reply_in_the_wrong_language_is_refused(voice: LlmVoice, fake_llm: FakeLlm) -> None:
    fake_llm.reply("We have many operators on the shifts.")
    fake_llm.reply("操作工一共38个，能独立开老设备的只有9个。")
    chunks, spoken = await speak(voice, asked(Language.ZH))
    assert spoken.meta.violations[0].kind is ViolationKind.LANGUAGE
    assert spoken.text == "操作工一共38个，能独立开老设备的只有9个。"
    assert "".join(chunks) == spoken.text


async def test_locked_content_is_refused_and_never_sent_back_to_the_model(
    voice: LlmVoice, fake_llm: FakeLlm
) -> None:
    call = asked(Language.EN)
    leaked = SCENARIO.problems[0].answer.en[0]  # a problem not admitted yet
    assert leaked in call.locked
    fake_llm.reply(leaked)
    fake_llm.reply("We have 38 operators across the shifts.")
    _, spoken = await speak(voice, call)
    assert spoken.meta.violations[0].kind is ViolationKind.LOCKED
    assert spoken.meta.guard is GuardOutcome.REGENERATED
    prompts = sent(fake_llm)
    assert all(line not in prompts for line in call.locked)


async def test_too_long_a_reply_is_refused(voice: LlmVoice, fake_llm: FakeLlm) -> None:
    call = asked(Language.EN)
    bound = call.direction.max_sentences + 1
    fake_llm.reply(" ".join(["We have 38 operators."] * (bound + 1)))
    fake_llm.reply("We have 38 operators.")
    _, spoken = await speak(voice, call)
    assert spoken.meta.violations[0].kind is ViolationKind.LENGTH


async def test_a_failing_retry_falls_back_to_the_scripted_words(
    voice: LlmVoice, fake_llm: FakeLlm
) -> None:
    call = asked(Language.EN)
    fake_llm.reply("We have 7 operators.")
    fake_llm.fail("500")
    _, spoken = await speak(voice, call)
    assert spoken.meta.guard is GuardOutcome.REPLACED
    assert spoken.text == ScriptedVoice(CATALOG.styles).compose(call.direction, call.recent)


async def test_figures_the_buyer_said_earlier_may_be_repeated(
    voice: LlmVoice, fake_llm: FakeLlm
) -> None:
    call = asked(Language.EN, "How long does it take to train a new operator?")
    call.recent.insert(1, Turn(1, Role.BUYER, "Sunday is for maintenance, we run 14 cells."))
    fake_llm.reply("About four months with a mentor, for any of the 14 cells.")
    _, spoken = await speak(voice, call)
    assert spoken.meta.guard is GuardOutcome.PASSED
