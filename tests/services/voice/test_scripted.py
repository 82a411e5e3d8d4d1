"""The scripted voice: composes from unlocked content and style phrasing, varies its wording,
never repeats a sentence within a call, and never says anything locked."""

from collections.abc import Sequence
from dataclasses import replace

import pytest

from app.domain.director import Direction, Director
from app.domain.director.state import DiscoveryState
from app.domain.labels import Label
from app.domain.language import Language
from app.domain.style import Reaction, StyleName
from app.domain.transcript import Role, Turn
from app.domain.voice.compose import chunk_text, split_sentences
from app.services.voice.scripted import ScriptedVoice
from tests.factories import (
    COMMIT,
    OTHER,
    PITCH,
    RAPPORT,
    SUMMARY,
    I,
    N,
    P,
    S,
    make_lexicon,
    make_scenario,
    make_style,
)

pytestmark = pytest.mark.anyio

EN, ZH = Language.EN, Language.ZH
STYLES = {name: make_style(name) for name in StyleName}

# Twenty trainee moves that keep hitting the same reactions: repeated facts, off-topic
# remarks, pitches and small talk, as a weak trainee would.
CALL = {
    EN: [
        ("How many plants do you run?", S),
        ("How many plants again?", S),
        ("Nice weather.", OTHER),
        ("Do operators quit often?", P),
        ("What does retraining cost?", I),
        ("Our presses are great.", PITCH),
        ("Nice weather again.", OTHER),
        ("How many plants, once more?", S),
        ("Did you see the game?", OTHER),
        ("Do operators quit often?", P),
        ("Would onboarding in weeks help?", N),
        ("So turnover costs you a lot.", SUMMARY),
        ("Lovely office.", RAPPORT),
        ("Our presses are great.", PITCH),
        ("What's for lunch?", OTHER),
        ("How many plants?", S),
        ("Lovely view.", RAPPORT),
        ("Anything else?", OTHER),
        ("Shall we run a pilot?", COMMIT),
        ("Tell me a joke.", OTHER),
    ],
    ZH: [
        ("你们有几个工厂？", S),
        ("再说一下有几个工厂？", S),
        ("今天天气不错。", OTHER),
        ("操作工离职多吗？", P),
        ("培训成本是多少？", I),
        ("我们的设备很好。", PITCH),
        ("天气真好。", OTHER),
        ("工厂有几个来着？", S),
        ("昨晚的球赛看了吗？", OTHER),
        ("操作工离职多吗？", P),
        ("如果几周就能上手，有帮助吗？", N),
        ("所以流失让您损失不小。", SUMMARY),
        ("办公室真漂亮。", RAPPORT),
        ("我们的设备很好。", PITCH),
        ("中午吃什么？", OTHER),
        ("几个工厂？", S),
        ("风景真好。", RAPPORT),
        ("还有别的吗？", OTHER),
        ("我们试点一下怎么样？", COMMIT),
        ("讲个笑话吧。", OTHER),
    ],
}


def play(
    style: StyleName, language: Language, moves: Sequence[tuple[str, Label]]
) -> tuple[list[Turn], list[Direction]]:
    """A call through director and voice; returns the transcript and the directions."""
    voice = ScriptedVoice(STYLES)
    director = Director(make_scenario(), STYLES[style], language, make_lexicon())
    state = DiscoveryState()
    opening = director.open(state)
    turns = [Turn(0, Role.BUYER, voice.compose(opening, []), reaction=opening.reaction)]
    directions = [opening]
    for text, lab in moves:
        seq = len(turns)
        turns.append(Turn(seq, Role.TRAINEE, text, label=lab))
        direction = director.direct(state, seq=seq, text=text, label=lab, seed=seq * 7)
        reply = voice.compose(direction, turns)
        turns.append(Turn(seq + 1, Role.BUYER, reply, reaction=direction.reaction))
        directions.append(direction)
    return turns, directions


def buyer_sentences(turns: Sequence[Turn]) -> list[str]:
    return [s for t in turns if t.role is Role.BUYER for s in split_sentences(t.text)]


@pytest.mark.parametrize("language", [EN, ZH])
@pytest.mark.parametrize("style", list(StyleName))
def test_twenty_turn_call_repeats_no_sentence(style: StyleName, language: Language) -> None:
    turns, _ = play(style, language, CALL[language])
    assert len([t for t in turns if t.role is Role.BUYER]) == 21
    sentences = buyer_sentences(turns)
    repeated = {s for s in sentences if sentences.count(s) > 1}
    assert repeated == set()


@pytest.mark.parametrize("language", [EN, ZH])
def test_replies_never_contain_locked_content(language: Language) -> None:
    turns, _ = play(StyleName.AMIABLE, language, CALL[language])
    said = " ".join(t.text for t in turns if t.role is Role.BUYER)
    scenario = make_scenario()
    for problem in scenario.problems[1:]:  # downtime and scrap are never asked about
        for line in (*problem.answer(language), *problem.implications[0].answer(language)):
            assert line not in said
    for _, _, need in scenario.needs():
        if need.id != "faster-onboarding":
            assert need.answer(language)[0] not in said


@pytest.mark.parametrize("language", [EN, ZH])
def test_reply_says_the_revealed_fact(language: Language) -> None:
    turns, directions = play(StyleName.DRIVER, language, CALL[language][:1])
    fact_lines = directions[-1].reveals[0].lines
    assert any(line in turns[-1].text for line in fact_lines)


@pytest.mark.parametrize("language", [EN, ZH])
def test_off_topic_move_gets_a_plausible_deflection(language: Language) -> None:
    turns, directions = play(StyleName.DRIVER, language, [CALL[language][2]])
    assert directions[-1].reaction is Reaction.DEFLECT
    options = STYLES[StyleName.DRIVER].phrases(Reaction.DEFLECT)(language)
    assert turns[-1].text in options


@pytest.mark.parametrize("language", [EN, ZH])
def test_pitch_reply_carries_the_objection(language: Language) -> None:
    turns, _ = play(StyleName.DRIVER, language, [CALL[language][5]])
    objection = make_scenario().objections[0].text(language)[0]
    assert objection in turns[-1].text
    sceptical = STYLES[StyleName.DRIVER].phrases(Reaction.SCEPTICAL)(language)
    assert any(line in turns[-1].text for line in sceptical)


def test_reply_respects_the_style_length() -> None:
    _, directions = play(StyleName.DRIVER, EN, CALL[EN][:8])
    voice = ScriptedVoice(STYLES)
    for direction in directions:
        reply = voice.compose(direction, [])
        assert len(split_sentences(reply)) <= direction.max_sentences, reply


def test_wording_varies_with_the_seed() -> None:
    turns, directions = play(StyleName.EXPRESSIVE, EN, CALL[EN][:1])
    voice = ScriptedVoice(STYLES)
    asked = turns[:-1]  # the opening and the question the reply answers
    replies = {voice.compose(replace(directions[-1], seed=seed), asked) for seed in range(10)}
    assert len(replies) >= 3


def test_same_direction_and_transcript_give_the_same_reply() -> None:
    first, _ = play(StyleName.ANALYTICAL, ZH, CALL[ZH][:6])
    second, _ = play(StyleName.ANALYTICAL, ZH, CALL[ZH][:6])
    assert [t.text for t in first] == [t.text for t in second]


def test_chinese_reply_is_joined_without_spaces() -> None:
    turns, _ = play(StyleName.ANALYTICAL, ZH, CALL[ZH][:1])
    assert " " not in turns[-1].text


def test_ending_the_call_says_goodbye_after_content() -> None:
    moves = [(f"How many {w}?", S) for w in ("plants", "operators", "shifts", "machines", "units")]
    turns, directions = play(StyleName.DRIVER, EN, moves)
    assert directions[-1].ends_call
    goodbyes = STYLES[StyleName.DRIVER].phrases(Reaction.END_CALL)(EN)
    assert any(turns[-1].text.endswith(g) for g in goodbyes)


async def test_speak_streams_small_chunks_that_rebuild_the_reply() -> None:
    _, directions = play(StyleName.EXPRESSIVE, EN, CALL[EN][:1])
    voice = ScriptedVoice(STYLES)
    chunks = [chunk async for chunk in voice.speak(directions[-1], []) if isinstance(chunk, str)]
    assert len(chunks) > 1
    assert "".join(chunks) == voice.compose(directions[-1], [])
    assert all(len(c.split()) <= 3 for c in chunks)


async def test_speak_streams_chinese_in_short_pieces() -> None:
    _, directions = play(StyleName.AMIABLE, ZH, CALL[ZH][:1])
    voice = ScriptedVoice(STYLES)
    chunks = [chunk async for chunk in voice.speak(directions[-1], []) if isinstance(chunk, str)]
    assert "".join(chunks) == voice.compose(directions[-1], [])
    assert max(len(c) for c in chunks) <= 6


def test_chunk_text_round_trips_whitespace() -> None:
    text = "We run three plants.  Roughly, anyway."
    assert "".join(chunk_text(text, EN)) == text
    assert chunk_text("", EN) == []
