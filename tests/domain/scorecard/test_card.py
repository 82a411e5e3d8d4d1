"""The scorecard as a whole: calibration, overrides, real calls, the breakdown, its JSON."""

import json

import pytest

from app.domain.codec import from_plain, to_plain
from app.domain.director.state import DiscoveryState
from app.domain.labels import Move, SpinLabel
from app.domain.language import Language
from app.domain.scorecard.card import Scorecard
from app.domain.scorecard.finding import FindingCode
from app.domain.scorecard.rubric import RUBRIC, Component
from app.domain.scorecard.sequence import Stage
from app.domain.style import StyleName
from app.domain.transcript import Role, Turn
from tests.domain.scorecard.cards import (
    codes,
    score_call,
)
from tests.domain.scorecard.scoring_fixtures import (
    bad_call,
    good_call,
    question,
    relabel,
    statement,
)


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize("style", list(StyleName))
def test_spin_flow_with_advance_scores_clearly_higher_than_situation_questions_and_early_features(
    style: StyleName, language: Language
) -> None:
    good, bad = good_call(language), bad_call(language)
    good_card = score_call(good.transcript, good.state, style=style, language=language)
    bad_card = score_call(bad.transcript, bad.state, style=style, language=language)
    assert good_card.overall >= 80
    assert bad_card.overall <= 25
    assert good_card.overall - bad_card.overall >= 50


@pytest.mark.parametrize("style", list(StyleName))
def test_trainer_override_to_a_pitch_costs_exactly_the_rubric_penalties(style: StyleName) -> None:
    good = good_call(Language.EN)
    before = score_call(good.transcript, good.state, style=style)
    overridden = relabel(
        good.transcript, good.seqs["rapport"], statement(Move.PITCH, source="trainer")
    )
    after = score_call(overridden, good.state, style=style)
    # SPIN.md §2: a pitch before the need; analytical buyers want evidence only after it, and
    # amiable ones rapport first (the only rapport move is now a pitch).
    style_cost = (
        RUBRIC.style_miss_penalty if style in (StyleName.ANALYTICAL, StyleName.AMIABLE) else 0.0
    )
    expected = RUBRIC.pitch_before_need_penalty + style_cost
    assert before.overall - after.overall == expected
    pitching_before = before.component(Component.PITCHING).points
    assert pitching_before - after.component(Component.PITCHING).points == (
        RUBRIC.pitch_before_need_penalty
    )


def test_trainer_override_of_the_only_implication_loses_its_mix_part_and_the_order_part() -> None:
    good = good_call(Language.EN)
    before = score_call(good.transcript, good.state)
    overridden = relabel(
        good.transcript,
        good.seqs["implication"],
        question(SpinLabel.PROBLEM, source="trainer"),
    )
    after = score_call(overridden, good.state)
    assert before.overall - after.overall == RUBRIC.implication_points + RUBRIC.order_points
    assert FindingCode.MIX_NO_IMPLICATION in codes(after)
    assert FindingCode.SEQUENCE_NEED_PAYOFF_PREMATURE in codes(after)


def test_real_call_marks_discovery_and_outcome_not_applicable_and_rescales() -> None:
    good = good_call(Language.EN)
    card = score_call(good.transcript, DiscoveryState(), real_call=True)
    assert not card.component(Component.DISCOVERY).applicable
    assert not card.component(Component.OUTCOME).applicable
    assert card.outcome.outcome is None
    assert FindingCode.DISCOVERY_NOT_APPLICABLE in codes(card)
    assert FindingCode.OUTCOME_NOT_APPLICABLE in codes(card)
    applicable = [c for c in card.components if c.applicable]
    expected = 100 * sum(c.points for c in applicable) / sum(c.max_points for c in applicable)
    assert card.overall == round(expected)
    # Without a scenario the path comes from the labels, and the need-payoff question stands in
    # for the explicit need, so the later pitch is not premature.
    assert card.sequence.from_labels
    assert card.sequence.paths[0].stage is Stage.NEED
    assert card.pitching.before_need_seqs == ()


def test_unknown_style_leaves_style_adaptation_out() -> None:
    good = good_call(Language.EN)
    card = score_call(good.transcript, good.state, style=None)
    assert not card.component(Component.STYLE).applicable
    assert FindingCode.STYLE_NOT_APPLICABLE in codes(card)


def test_breakdown_maxima_sum_to_one_hundred_and_parts_sum_to_components() -> None:
    good = good_call(Language.EN)
    card = score_call(good.transcript, good.state)
    assert sum(c.max_points for c in card.components) == 100
    assert card.overall == round(sum(c.points for c in card.components))
    for component in card.components:
        assert component.points == pytest.approx(sum(p.points for p in component.parts))


def test_scorecard_round_trips_through_plain_json() -> None:
    bad = bad_call(Language.ZH)
    card = score_call(bad.transcript, bad.state, language=Language.ZH)
    data = json.loads(json.dumps(to_plain(card), ensure_ascii=False))
    assert data["overall"] == card.overall
    assert data["language"] == "zh"
    restored = from_plain(Scorecard, data)
    assert restored == card
    assert restored.findings[0].section.value == "mix"
    assert restored.pitching.before_need_seqs == (bad.seqs["pitch1"], bad.seqs["pitch2"])
    assert data["components"][0]["component"] == "mix"


def test_unlabelled_trainee_turn_counts_for_listening_but_not_the_mix() -> None:
    turns = [
        Turn(0, Role.TRAINEE, "hello there friend"),
        Turn(1, Role.BUYER, "hi"),
        Turn(2, Role.TRAINEE, "How many plants?", question(SpinLabel.SITUATION)),
    ]
    card = score_call(turns, DiscoveryState())
    assert card.mix.moves == 1
    assert card.listening.trainee_units == 6
