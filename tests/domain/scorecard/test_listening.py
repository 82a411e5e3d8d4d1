"""Listening: talk share and monologues (SPIN.md §3.11)."""

import pytest

from app.domain.director.state import DiscoveryState
from app.domain.labels import Move, SpinLabel
from app.domain.language import Language
from app.domain.scorecard.finding import FindingCode
from app.domain.scorecard.rubric import RUBRIC, Component
from app.domain.transcript import Role, Turn
from tests.domain.scorecard.cards import (
    codes,
    score_call,
)
from tests.domain.scorecard.scoring_fixtures import (
    CallBuilder,
    question,
    statement,
)


def test_talk_share_counts_words_in_english_and_characters_in_chinese() -> None:
    c = CallBuilder()
    c.say("How many plants do you run?", question(SpinLabel.SITUATION))  # 6 words
    c.hear("We run three plants in the north.")  # 7 words
    card = score_call(c.turns, DiscoveryState(), language=Language.EN)
    assert card.listening.unit == "words"
    assert (card.listening.trainee_units, card.listening.buyer_units) == (6, 7)
    z = CallBuilder()
    z.say("你们有几个工厂？", question(SpinLabel.SITUATION))  # 7 characters
    z.hear("我们有三个工厂，都在北方。")  # 11 characters
    card = score_call(z.turns, DiscoveryState(), language=Language.ZH)
    assert card.listening.unit == "characters"
    assert (card.listening.trainee_units, card.listening.buyer_units) == (7, 11)
    assert card.listening.talk_share == pytest.approx(7 / 18, abs=1e-4)
    assert FindingCode.LISTENING_TALK_CHARACTERS in codes(card)


def test_talk_share_above_the_band_loses_listening_points_linearly() -> None:
    c = CallBuilder()
    c.say(" ".join(["word"] * 54), statement(Move.PITCH))
    c.hear(" ".join(["word"] * 46))
    card = score_call(c.turns, DiscoveryState())
    share = 0.54
    expected = (
        RUBRIC.listening_points
        * (RUBRIC.talk_share_zero - share)
        / (RUBRIC.talk_share_zero - RUBRIC.talk_share_full)
    )
    assert card.component(Component.LISTENING).points == pytest.approx(expected, abs=0.01)


def test_longest_monologue_joins_trainee_turns_with_no_buyer_turn_between() -> None:
    turns = [
        Turn(0, Role.TRAINEE, "one two three", statement(Move.OTHER)),
        Turn(1, Role.TRAINEE, "four five", statement(Move.PITCH)),
        Turn(2, Role.BUYER, "ok"),
        Turn(3, Role.TRAINEE, "one two three four", question(SpinLabel.SITUATION)),
    ]
    card = score_call(turns, DiscoveryState())
    assert card.listening.longest_monologue_units == 5
    assert card.listening.longest_monologue_seqs == (0, 1)
    assert card.listening.questions == 1
