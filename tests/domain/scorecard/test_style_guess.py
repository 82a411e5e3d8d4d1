"""Hidden-style mode: judging the trainee's guess and the buyer turns that gave the style away."""

from app.domain.scorecard.finding import FindingCode, term
from app.domain.scorecard.style_guess import DEFAULT_TELLS, judge_style_guess, tell_style
from app.domain.style import StyleName
from app.domain.transcript import Role, Turn
from tests.domain.scorecard.cards import (
    styled_call,
)


def test_style_guess_right_names_the_buyer_turns_that_gave_the_driver_away() -> None:
    result = judge_style_guess(StyleName.DRIVER, StyleName.DRIVER, styled_call())
    assert result.correct
    assert [t.seq for t in result.giveaways] == [3, 7]
    assert result.findings[0].code is FindingCode.STYLE_GUESS_RIGHT
    assert result.findings[0].seqs == (3, 7)
    assert [f.seqs for f in result.findings[1:]] == [(3,), (7,)]
    assert [t.style for t in result.tells] == [
        StyleName.DRIVER,
        StyleName.ANALYTICAL,
        StyleName.DRIVER,
    ]


def test_style_guess_wrong_still_shows_the_actual_styles_tells() -> None:
    result = judge_style_guess(StyleName.AMIABLE, StyleName.ANALYTICAL, styled_call())
    assert not result.correct
    assert result.findings[0].code is FindingCode.STYLE_GUESS_WRONG
    assert result.findings[0].params == {
        "guess": term(StyleName.AMIABLE),
        "actual": term(StyleName.ANALYTICAL),
    }
    assert [t.seq for t in result.giveaways] == [5]


def test_style_guess_without_any_tell_says_so() -> None:
    result = judge_style_guess(StyleName.EXPRESSIVE, StyleName.EXPRESSIVE, styled_call())
    assert result.correct
    assert result.giveaways == ()
    assert result.findings[-1].code is FindingCode.STYLE_GUESS_NO_TELLS


def test_style_tells_accept_custom_and_composite_reaction_keys() -> None:
    assert tell_style("connector+vision", DEFAULT_TELLS) is StyleName.EXPRESSIVE
    assert tell_style("amiable.sigh", DEFAULT_TELLS) is StyleName.AMIABLE
    assert tell_style("acknowledge", DEFAULT_TELLS) is None
    custom = {"wants_numbers": StyleName.ANALYTICAL}
    turns = [Turn(0, Role.BUYER, "Numbers?", reaction="wants_numbers")]
    result = judge_style_guess(StyleName.ANALYTICAL, StyleName.ANALYTICAL, turns, tells=custom)
    assert [t.seq for t in result.giveaways] == [0]
