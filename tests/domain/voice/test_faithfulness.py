"""Faithfulness: figures read the same in digits, English words and Chinese numerals; a reply
may state only the figures and names its direction (or the buyer's earlier words) holds,
nothing locked, in the session's language and within its length."""

import pytest

from app.domain.director import Direction, Director
from app.domain.director.state import DiscoveryState
from app.domain.language import Language
from app.domain.style import StyleName
from app.domain.voice.faithfulness import Faithfulness, locked_texts
from app.domain.voice.figures import chinese_names, english_names, figures
from app.domain.voice.verdict import ViolationKind
from tests.factories import S, make_lexicon, make_scenario, make_style

EN, ZH = Language.EN, Language.ZH


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thirty-eight operators; nine are certified.", {38, 9}),
        ("We have 38 operators.", {38}),
        ("about 1.2 million parts and 18,000 square metres", {1.2, 1_200_000, 18_000}),
        ("one of them, a few people", set()),
        ("two hundred and forty", {240}),
        ("操作工一共三十八个，只有九个能开老设备。", {38, 9}),
        ("一年大概120万件", {120, 1_200_000}),
        ("一万八千平左右", {18_000}),
        ("开动率目标是百分之八十五", {85}),
        ("他十分辛苦，万一走了，一个人也顶不上", set()),
        ("二零二八年", {2028}),
    ],
)
def test_figures_are_read_as_values(text: str, expected: set[float]) -> None:
    assert figures(text) == expected


def test_names_are_capitalised_words_inside_a_sentence() -> None:
    found = english_names("We call Mr Chen in Ningbo. The OEM is slow.")
    assert found == {"Chen", "Ningbo", "OEM"}
    assert chinese_names("得过陈总那一关，我们公司和华为公司都说过") == {"陈总", "华为公司"}


def direction_for(language: Language, question: str) -> tuple[Direction, list[str]]:
    scenario = make_scenario()
    director = Director(scenario, make_style(StyleName.ANALYTICAL), language, make_lexicon())
    state = DiscoveryState()
    director.open(state)
    direction = director.direct(state, seq=1, text=question, label=S, seed=1)
    return direction, locked_texts(scenario, state, language)


def test_a_figure_from_the_direction_passes_and_an_invented_one_does_not() -> None:
    direction, locked = direction_for(EN, "How many plants do you run?")
    line = direction.reveals[0].lines[0]
    faith = Faithfulness(direction, said=[], locked=locked)
    assert faith.reply(line) is None
    found = faith.reply("We run 17 plants.")
    assert found is not None
    assert (found.kind, found.detail) == (ViolationKind.FIGURE, "17")


def test_a_figure_the_buyer_said_before_may_be_repeated() -> None:
    direction, locked = direction_for(EN, "How many plants do you run?")
    assert (
        Faithfulness(direction, said=["We ship 4711 parts."], locked=locked).reply(
            "As I said, 4711 parts."
        )
        is None
    )


def test_a_locked_figure_is_reported_as_locked() -> None:
    direction, _ = direction_for(EN, "How many plants do you run?")
    faith = Faithfulness(direction, said=[], locked=["Downtime costs us 987,000 a year."])
    found = faith.reply("Downtime is 987,000 a year.")
    assert found is not None
    assert found.kind is ViolationKind.LOCKED


def test_a_locked_line_is_refused_word_for_word() -> None:
    direction, locked = direction_for(EN, "How many plants do you run?")
    faith = Faithfulness(direction, said=[], locked=locked)
    found = faith.reply(locked[0])
    assert found is not None
    assert found.kind is ViolationKind.LOCKED


def test_an_invented_name_is_refused_and_a_persona_name_is_not() -> None:
    direction, locked = direction_for(EN, "How many plants do you run?")
    faith = Faithfulness(direction, said=[], locked=locked)
    assert faith.reply(f"Talk to {direction.persona.buyer_name}, that's me.") is None
    found = faith.reply("Our partner Siemens runs it.")
    assert found is not None
    assert (found.kind, found.detail) == (ViolationKind.NAME, "Siemens")


def test_the_wrong_language_is_refused() -> None:
    direction, locked = direction_for(ZH, "你们有几个工厂？")
    faith = Faithfulness(direction, said=[], locked=locked)
    found = faith.reply("We have several plants in the region.")
    assert found is not None
    assert found.kind is ViolationKind.LANGUAGE
    assert faith.reply("嗯，OK，这个我不太清楚。") is None  # a Latin word is Chinese still
    english, _ = direction_for(EN, "How many plants?")
    assert Faithfulness(english, said=[], locked=[]).reply("我们有工厂。") is not None


def test_too_long_and_empty_replies_are_refused() -> None:
    direction, locked = direction_for(EN, "How many plants do you run?")
    faith = Faithfulness(direction, said=[], locked=locked)
    long = " ".join(["Fine."] * (direction.max_sentences + 2))
    assert faith.reply(long) is not None
    empty = faith.reply("   ")
    assert empty is not None
    assert empty.kind is ViolationKind.EMPTY
