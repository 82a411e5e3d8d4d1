"""Short English and Chinese calls through the LLM voice and the LLM judge, against a real
model (SmolLM2-135M on llama.cpp's server) over the real websocket. A model this small says
anything, so these assert only what must hold whatever it says: replies stream and are
stored; every label is schema-valid or a recorded fallback; no stored reply states a figure
or name its direction did not contain; no locked item reached any prompt; and the guard
triggers (the model invents figures freely) and recovers."""

import json
import sys
from dataclasses import dataclass
from uuid import UUID

import anyio
import pytest

from app.adapters.db import create_engine, session_factory
from app.adapters.persona_files.catalog import load_catalog
from app.adapters.sql_sessions import SqlSessionStore
from app.domain.call.replay import director_for, replay
from app.domain.call.session import PracticeSession, StoredTurn
from app.domain.language import Language
from app.domain.transcript import Role
from app.domain.voice.faithfulness import Faithfulness, locked_texts
from app.domain.voice.verdict import GuardOutcome
from app.services.voice.scripted import ScriptedVoice
from tests.conftest import LiveServer
from tests.llm.conftest import LlmAppFactory
from tests.llm.recording_proxy import RecordingProxy
from tests.support.client import Api
from tests.support.paths import PERSONAS

CATALOG = load_catalog(PERSONAS)
SCENARIO = CATALOG.scenarios["plant-operators"]
REPLY_TIMEOUT_S = 900.0  # a judged, guarded, possibly regenerated reply on a busy machine
# A situation question, a question that begs for figures the scenario does not have, and the
# scenario's own problem question: enough for the 135M model to invent something.
MOVES = {
    Language.EN: [
        "How many operators do you have, and how many can run the old cells?",
        "Exactly how many people quit last year, and what did each one cost you in dollars?",
        SCENARIO.problems[0].example_question.en,
    ],
    Language.ZH: [
        "你们现在有多少操作工？能开老设备的有几个？",
        "去年具体走了多少人？每走一个要花多少美元？",
        SCENARIO.problems[0].example_question.zh,
    ],
}


@dataclass
class PlayedCall:
    language: Language
    session: PracticeSession
    turns: list[StoredTurn]
    done_texts: list[str]
    deltas: list[list[str]]
    prompts: list[str]


@pytest.fixture(scope="module")
def app(llm_app_factory: LlmAppFactory) -> LiveServer:
    return llm_app_factory()


@pytest.fixture(scope="module")
def calls(app: LiveServer, recorder: RecordingProxy) -> dict[Language, PlayedCall]:
    return {language: _play(app, recorder, language) for language in Language}


def _play(app: LiveServer, recorder: RecordingProxy, language: Language) -> PlayedCall:
    first_request = len(recorder.requests)
    api = Api(app.url).login("trainee")
    session_id = api.start_session(style="driver", language=language.value)["id"]  # short replies

    async def talk() -> tuple[list[str], list[list[str]]]:
        socket = await api.socket(session_id, timeout_s=REPLY_TIMEOUT_S)
        await socket.recv()
        texts, deltas = [], []
        for move in MOVES[language]:
            turn, reply = await socket.say(move)
            assert turn["type"] == "turn", turn
            assert reply.done is not None, reply.error
            texts.append(reply.done["text"])
            deltas.append(reply.deltas)
        await socket.close()
        return texts, deltas

    texts, deltas = anyio.run(talk)
    api.close()
    session, turns = anyio.run(_stored, app, session_id)
    prompts = [
        str(m.get("content", ""))
        for body in recorder.requests[first_request:]
        for m in body.get("messages", [])
    ]
    return PlayedCall(language, session, turns, texts, deltas, prompts)


async def _stored(app: LiveServer, session_id: str) -> tuple[PracticeSession, list[StoredTurn]]:
    engine = create_engine(app.env["SPIN_DATABASE_URL"])
    store = SqlSessionStore(session_factory(engine))
    try:
        session = await store.get(UUID(session_id))
        assert session is not None
        return session, await store.turns(session.id)
    finally:
        await engine.dispose()


def buyer_replies(call: PlayedCall) -> list[StoredTurn]:
    return [t for t in call.turns if t.turn.role is Role.BUYER and t.turn.seq > 0]


@pytest.mark.parametrize("language", list(Language))
def test_replies_stream_and_are_stored_as_sent(
    calls: dict[Language, PlayedCall], language: Language
) -> None:
    call = calls[language]
    replies = buyer_replies(call)
    assert len(replies) == len(MOVES[language])
    assert [t.turn.text for t in replies] == call.done_texts
    assert all(text.strip() for text in call.done_texts)
    assert all(len(deltas) >= 1 for deltas in call.deltas)  # the trainee saw it stream
    for reply in replies:
        assert reply.meta.voice == "llm"
        assert reply.meta.guard in set(GuardOutcome)


@pytest.mark.parametrize("language", list(Language))
def test_labels_are_schema_valid_or_a_recorded_fallback(
    calls: dict[Language, PlayedCall], language: Language
) -> None:
    moves = [t.turn for t in calls[language].turns if t.turn.role is Role.TRAINEE]
    assert len(moves) == len(MOVES[language])
    for move in moves:
        assert move.label is not None
        source = move.label.source
        assert source.startswith("llm:smollm2:") or source.startswith("offline:llm-fallback:")


@pytest.mark.parametrize("language", list(Language))
def test_no_stored_reply_says_what_its_direction_did_not_contain(
    calls: dict[Language, PlayedCall], language: Language
) -> None:
    call = calls[language]
    director = director_for(call.session, SCENARIO, CATALOG.cast)
    scripted = ScriptedVoice(CATALOG.styles)
    for reply in buyer_replies(call):
        before = [t for t in call.turns if t.turn.seq < reply.turn.seq]
        replayed = replay(director, call.session, before)
        direction = replayed.last
        assert direction is not None
        if reply.meta.guard is GuardOutcome.REPLACED:
            assert reply.turn.text == scripted.compose(direction, [t.turn for t in before])
            continue
        said = [t.turn.text for t in before if t.turn.role is Role.BUYER]
        locked = locked_texts(SCENARIO, replayed.state, language)
        faith = Faithfulness(direction, said=said, locked=locked)
        assert faith.reply(reply.turn.text) is None, reply.turn.text


@pytest.mark.parametrize("language", list(Language))
def test_no_locked_item_reached_any_prompt(
    calls: dict[Language, PlayedCall], language: Language
) -> None:
    call = calls[language]
    assert call.prompts, "the model was called"
    never_unlocked = locked_texts(SCENARIO, call.session.state, language)
    sent = "\n".join(call.prompts)
    assert [line for line in never_unlocked if line in sent] == []


def test_the_guard_triggers_and_recovers(calls: dict[Language, PlayedCall]) -> None:
    replies = [r for call in calls.values() for r in buyer_replies(call)]
    intervened = [r for r in replies if r.meta.intervened]
    assert intervened, "the 135M model invented nothing in six replies"
    for reply in intervened:
        assert reply.meta.violations  # what it caught is recorded
        assert reply.turn.text.strip()  # and something faithful was stored instead
    sys.stderr.write(
        "guard: "
        + json.dumps(
            {
                "replies": len(replies),
                "regenerated": sum(r.meta.guard is GuardOutcome.REGENERATED for r in replies),
                "replaced": sum(r.meta.guard is GuardOutcome.REPLACED for r in replies),
                "violations": [v.kind.value for r in replies for v in r.meta.violations],
            }
        )
        + "\n"
    )


def test_structured_output_form_is_detected_once(
    calls: dict[Language, PlayedCall], recorder: RecordingProxy
) -> None:
    forms = [
        body["response_format"]
        for body in recorder.requests
        if isinstance(body.get("response_format"), dict)
    ]
    assert forms, "the judge asked for structured output"
    refused = [f for f in forms if f.get("type") == "json_schema"]
    assert len(refused) <= 1  # llama.cpp refuses json_schema once; the process remembers
    assert all("schema" in f for f in forms if f.get("type") == "json_object")
    assert len(calls) == len(Language)
