"""Joining lead-ins (issue 13): the case is right across the join, a line that opens with a
lead of its own takes no second one, and a sentence's core ignores its lead-in."""

import pytest

from app.domain.language import Language
from app.domain.voice.lead_in import (
    core,
    has_own_lead,
    is_joiner,
    join,
    proper_names,
    split_sentences,
)

EN, ZH = Language.EN, Language.ZH
NAMES = proper_names(["The engineer comes from Ningbo.", "We report to Mr Chen."])


@pytest.mark.parametrize(
    ("line", "joined"),
    [
        ("Being able to run any cell would help.", "To be exact, being able to run any cell"),
        ("Don't put words in my mouth.", "To be exact, don't put words"),
        ("We're fine.", "To be exact, we're fine."),
        ("Ningbo sends the engineer.", "To be exact, Ningbo sends"),
        ("I decide that.", "To be exact, I decide"),
        ("OEM support is slow.", "To be exact, OEM support"),
        ("Chen signs it off.", "To be exact, Chen signs"),
    ],
)
def test_a_joined_line_keeps_capitals_only_for_names(line: str, joined: str) -> None:
    assert join("To be exact,", line, EN, NAMES).startswith(joined)


def test_chinese_joins_without_a_space() -> None:
    assert join("说实话，", "这个确实头疼。", ZH, NAMES) == "说实话，这个确实头疼。"


@pytest.mark.parametrize(
    ("line", "language", "own"),
    [
        ("Honestly, yes. Only nine people can run them.", EN, True),
        ("Yes. We lose a lot of new operators.", EN, True),
        ("Thirty-eight operators across the shifts.", EN, False),
        ("是啊，新人留不住。", ZH, True),
        ("是的。能干满一年的不多。", ZH, True),
        ("我们就常州这一个厂，两个车间。", ZH, False),
    ],
)
def test_lines_with_their_own_lead_are_recognised(line: str, language: Language, own: bool) -> None:
    assert has_own_lead(line, language) is own


def test_joiners_are_phrases_that_do_not_end_a_sentence() -> None:
    assert is_joiner("As I said,")
    assert is_joiner("简单说，")
    assert not is_joiner("Fine.")
    assert not is_joiner("情况是这样。")


def test_a_core_ignores_the_lead_in_and_case() -> None:
    leads = ["As I said,", "刚才说了，"]
    assert core("As I said, we run 14 cells.", leads) == core("We run 14 cells.", leads)
    assert core("刚才说了，我们有14台。", leads) == core("我们有14台。", leads)


def test_a_decimal_point_does_not_end_a_sentence() -> None:
    """ "4.2 million" is one figure: split, the no-repeat rule and the faithfulness check
    would each judge "4." and "2 million" apart."""
    assert split_sentences("Change requests cost 4.2 million a year. Very little.") == [
        "Change requests cost 4.2 million a year.",
        "Very little.",
    ]
    assert split_sentences("增长了3.5%。不少了！") == ["增长了3.5%。", "不少了！"]
