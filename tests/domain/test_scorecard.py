import json

import pytest

from app.domain.codec import from_plain, to_plain
from app.domain.director.state import DiscoveryState, Outcome
from app.domain.labels import Move, SpinLabel
from app.domain.language import Language
from app.domain.scorecard.card import Scorecard, score
from app.domain.scorecard.finding import Finding, FindingCode, term
from app.domain.scorecard.pitch_tags import Fab
from app.domain.scorecard.rubric import RUBRIC, Component, Part
from app.domain.scorecard.sequence import Stage
from app.domain.scorecard.style_guess import DEFAULT_TELLS, judge_style_guess, tell_style
from app.domain.style import StyleName
from app.domain.transcript import Role, Turn
from tests.domain.scoring_fixtures import (
    CallBuilder,
    bad_call,
    commitment_question,
    good_call,
    make_scoring_scenario,
    question,
    relabel,
    statement,
)

SCENARIO = make_scoring_scenario()


def _score(
    transcript: list[Turn],
    state: DiscoveryState,
    *,
    style: StyleName | None = StyleName.DRIVER,
    language: Language = Language.EN,
    real_call: bool = False,
) -> Scorecard:
    return score(
        transcript=transcript,
        state=state,
        scenario=None if real_call else SCENARIO,
        style=style,
        language=language,
    )


def _codes(card: Scorecard) -> list[FindingCode]:
    return [f.code for f in card.findings]


def _finding(card: Scorecard, code: FindingCode) -> Finding:
    return next(f for f in card.findings if f.code is code)


# ---- calibration (issue 5, part 7) ---------------------------------------------------------


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize("style", list(StyleName))
def test_spin_flow_with_advance_scores_clearly_higher_than_situation_questions_and_early_features(
    style: StyleName, language: Language
) -> None:
    good, bad = good_call(language), bad_call(language)
    good_card = _score(good.transcript, good.state, style=style, language=language)
    bad_card = _score(bad.transcript, bad.state, style=style, language=language)
    assert good_card.overall >= 80
    assert bad_card.overall <= 25
    assert good_card.overall - bad_card.overall >= 50


@pytest.mark.parametrize("style", list(StyleName))
def test_trainer_override_to_a_pitch_costs_exactly_the_rubric_penalties(style: StyleName) -> None:
    good = good_call(Language.EN)
    before = _score(good.transcript, good.state, style=style)
    overridden = relabel(
        good.transcript, good.seqs["rapport"], statement(Move.PITCH, source="trainer")
    )
    after = _score(overridden, good.state, style=style)
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
    before = _score(good.transcript, good.state)
    overridden = relabel(
        good.transcript,
        good.seqs["implication"],
        question(SpinLabel.PROBLEM, source="trainer"),
    )
    after = _score(overridden, good.state)
    assert before.overall - after.overall == RUBRIC.implication_points + RUBRIC.order_points
    assert FindingCode.MIX_NO_IMPLICATION in _codes(after)
    assert FindingCode.SEQUENCE_NEED_PAYOFF_PREMATURE in _codes(after)


# ---- question mix -------------------------------------------------------------------------------


def test_question_mix_counts_shares_and_problem_ratio_with_their_turns() -> None:
    good = good_call(Language.EN)
    card = _score(good.transcript, good.state)
    situation = card.mix.of(SpinLabel.SITUATION)
    assert situation.count == 1
    assert situation.seqs == (good.seqs["situation"],)
    assert situation.share == pytest.approx(1 / 8)
    assert situation.spin_share == pytest.approx(0.25)
    assert card.mix.of(SpinLabel.OTHER).count == 4
    assert card.mix.of(SpinLabel.OTHER).spin_share is None
    assert card.mix.problem_to_situation == 1.0
    assert card.mix.spin_questions == 4


def test_open_closed_split_is_reported_but_never_graded() -> None:
    good = good_call(Language.EN)
    all_closed = [
        Turn(t.seq, t.role, t.text, question(t.label.label, is_open=False, topics=t.label.topics))
        if t.label is not None and t.label.label is not SpinLabel.OTHER
        else t
        for t in good.transcript
    ]
    before = _score(good.transcript, good.state)
    after = _score(all_closed, good.state)
    assert len(before.mix.open_seqs) == 3
    assert after.mix.open_seqs == ()
    assert before.overall == after.overall
    assert _finding(after, FindingCode.MIX_OPEN_CLOSED).points == 0.0


def test_ten_situation_questions_lose_the_situation_part_with_every_situation_turn() -> None:
    bad = bad_call(Language.EN)
    card = _score(bad.transcript, bad.state)
    heavy = _finding(card, FindingCode.MIX_SITUATION_HEAVY)
    assert heavy.params["percent"] == 100
    assert len(heavy.seqs) == 10
    part = next(p for p in card.component(Component.MIX).parts if p.part is Part.MIX_SITUATION)
    assert part.points == 0.0
    assert FindingCode.MIX_NO_IMPLICATION in _codes(card)
    assert FindingCode.MIX_NO_NEED_PAYOFF in _codes(card)


# ---- sequence -------------------------------------------------------------------------------


def test_unclosed_implication_chain_is_reported_and_costs_the_order_part() -> None:
    c = CallBuilder()
    p = c.say("Is it hard to keep operators?", question(SpinLabel.PROBLEM))
    c.hear("Yes.", "connector")
    i1 = c.say("What does retraining cost?", question(SpinLabel.IMPLICATION))
    c.hear("A lot.", "connector")
    i2 = c.say("How many extra hours do seniors work?", question(SpinLabel.IMPLICATION))
    c.hear("Twelve.", "connector")
    s = c.say("What shift pattern do you use?", question(SpinLabel.SITUATION))
    c.hear("Three shifts.")
    state = DiscoveryState(
        problems={"operator-turnover": p},
        implications={"retraining-cost": i1, "senior-overtime": i2},
    )
    card = _score(c.turns, state)
    chain = _finding(card, FindingCode.SEQUENCE_CHAIN_UNCLOSED)
    assert chain.seqs == (i1, i2)
    assert chain.params == {"count": 2}
    assert card.sequence.chains[0].closed_by is None
    order = next(
        x for x in card.component(Component.SEQUENCE).parts if x.part is Part.SEQUENCE_ORDER
    )
    assert order.points == RUBRIC.order_points - RUBRIC.unclosed_chain_penalty
    assert card.sequence.paths[0].stage is Stage.IMPLICATION
    assert FindingCode.SEQUENCE_PROBLEM_NO_NEED in _codes(card)
    assert s not in chain.seqs


def test_need_payoff_closing_a_chain_is_not_an_unclosed_chain() -> None:
    good = good_call(Language.EN)
    card = _score(good.transcript, good.state)
    assert card.sequence.chains[0].closed_by == good.seqs["need_payoff"]
    assert FindingCode.SEQUENCE_CHAIN_UNCLOSED not in _codes(card)
    complete = _finding(card, FindingCode.SEQUENCE_PROBLEM_COMPLETE)
    assert complete.seqs == (
        good.seqs["problem"],
        good.seqs["implication"],
        good.seqs["need_payoff"],
    )


def test_need_payoff_before_any_implication_is_flagged_with_its_turn() -> None:
    c = CallBuilder()
    n = c.say(
        "If I could halve your costs, would you be interested?", question(SpinLabel.NEED_PAYOFF)
    )
    c.hear("Maybe.", "lukewarm")
    i = c.say("What does downtime cost you?", question(SpinLabel.IMPLICATION))
    c.hear("Plenty.")
    card = _score(c.turns, DiscoveryState())
    premature = _finding(card, FindingCode.SEQUENCE_NEED_PAYOFF_PREMATURE)
    assert premature.seqs == (n,)
    assert premature.points == -RUBRIC.premature_need_payoff_penalty
    assert card.sequence.premature_need_payoff_seqs == (n,)
    assert i not in premature.seqs


# ---- discovery -----------------------------------------------------------------------------------


def test_discovery_counts_out_of_the_scenario_and_names_what_was_missed_in_chinese() -> None:
    good = good_call(Language.ZH)
    card = _score(good.transcript, good.state, language=Language.ZH)
    assert (len(card.discovery.problems.found), card.discovery.problems.total) == (1, 2)
    assert (len(card.discovery.implications.found), card.discovery.implications.total) == (1, 3)
    assert (len(card.discovery.needs.found), card.discovery.needs.total) == (1, 3)
    assert card.discovery.rate == pytest.approx(3 / 8)
    missed = {f.params["title"] for f in card.findings if f.code.value.endswith("_missed")}
    assert missed == {"意外停机", "老员工加班"}
    problems = next(
        p for p in card.component(Component.DISCOVERY).parts if p.part is Part.DISCOVERY_PROBLEMS
    )
    assert problems.points == RUBRIC.problems_points / 2
    assert problems.seqs == (good.seqs["problem"],)


def test_problem_handed_by_a_drill_is_not_credited() -> None:
    c = CallBuilder()
    c.hear("Our operators keep leaving.", "greeting")
    i = c.say("What does each replacement cost?", question(SpinLabel.IMPLICATION))
    c.hear("Forty thousand.", "connector")
    state = DiscoveryState(
        problems={"operator-turnover": -1},
        implications={"retraining-cost": i},
        handed_problems=["operator-turnover"],
    )
    card = _score(c.turns, state)
    assert card.discovery.problems.found == ()
    assert card.discovery.problems.total == 1
    assert card.sequence.paths[0].problem_seq is None
    assert card.sequence.paths[0].implication_seqs == (i,)


def test_real_call_marks_discovery_and_outcome_not_applicable_and_rescales() -> None:
    good = good_call(Language.EN)
    card = _score(good.transcript, DiscoveryState(), real_call=True)
    assert not card.component(Component.DISCOVERY).applicable
    assert not card.component(Component.OUTCOME).applicable
    assert card.outcome.outcome is None
    assert FindingCode.DISCOVERY_NOT_APPLICABLE in _codes(card)
    assert FindingCode.OUTCOME_NOT_APPLICABLE in _codes(card)
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
    card = _score(good.transcript, good.state, style=None)
    assert not card.component(Component.STYLE).applicable
    assert FindingCode.STYLE_NOT_APPLICABLE in _codes(card)


# ---- pitching --------------------------------------------------------------------------------


def test_fab_tags_feature_advantage_and_benefit() -> None:
    c = CallBuilder()
    f = c.say("Our platform includes a touchscreen panel.", statement(Move.PITCH))
    c.hear("Hm.", "sceptical")
    a = c.say("It can cut your training time.", statement(Move.PITCH))
    c.hear("Maybe.", "sceptical")
    n = c.say(
        "If new hires were productive in week one, what would that mean?",
        question(SpinLabel.NEED_PAYOFF),
    )
    c.hear("A lot.", "connector")
    benefit = c.say(
        "Since you need new hires productive sooner, our guided setup gets them there in two days.",
        statement(Move.PITCH),
    )
    c.hear("Interesting.", "receptive")
    state = DiscoveryState(needs={"faster-onboarding": n})
    card = _score(c.turns, state)
    tags = {s.seq: (s.fab, s.before_need, s.need_id) for s in card.pitching.statements}
    assert tags[f] == (Fab.FEATURE, True, None)
    assert tags[a] == (Fab.ADVANTAGE, True, None)
    assert tags[benefit] == (Fab.BENEFIT, False, "faster-onboarding")
    assert card.pitching.before_need_seqs == (f, a)
    before_need = [x for x in card.findings if x.code is FindingCode.PITCHING_BEFORE_NEED]
    assert [x.params["fab"] for x in before_need] == [term(Fab.FEATURE), term(Fab.ADVANTAGE)]
    assert _finding(card, FindingCode.PITCHING_BENEFIT).params == {"need": "Faster onboarding"}


def test_objection_after_a_pitch_is_counted_with_both_turns() -> None:
    bad = bad_call(Language.EN)
    card = _score(bad.transcript, bad.state)
    after = card.pitching.objections_after_pitch
    assert len(after) == 1
    assert (after[0].pitch_seq, after[0].buyer_seq) == (bad.seqs["pitch1"], bad.seqs["objection"])
    objection = _finding(card, FindingCode.PITCHING_OBJECTION_AFTER_PITCH)
    assert objection.seqs == (bad.seqs["pitch1"], bad.seqs["objection"])
    expected = (
        RUBRIC.pitching_max
        - 2 * RUBRIC.pitch_before_need_penalty
        - RUBRIC.objection_after_pitch_penalty
    )
    assert card.component(Component.PITCHING).points == expected


def test_closing_technique_is_penalised_and_named() -> None:
    c = CallBuilder()
    close = c.say("Sign today and I can lock in this price.", statement(Move.COMMITMENT))
    c.hear("Not so fast.", "push_back")
    card = _score(c.turns, DiscoveryState(outcome=Outcome.NO_SALE), style=StyleName.AMIABLE)
    assert card.pitching.closing_seqs == (close,)
    assert _finding(card, FindingCode.PITCHING_CLOSING).points == -RUBRIC.closing_penalty
    assert _finding(card, FindingCode.STYLE_AMIABLE_PRESSURE).seqs == (close,)


# ---- style adaptation ------------------------------------------------------------------------


def test_driver_is_flagged_for_situation_questions_and_long_turns() -> None:
    c = CallBuilder()
    s1 = c.say("How many plants?", question(SpinLabel.SITUATION))
    c.hear("Three.", "impatient")
    s2 = c.say("How many shifts?", question(SpinLabel.SITUATION))
    c.hear("Three.", "impatient")
    speech = " ".join(["word"] * (RUBRIC.long_turn_words + 1))
    long_turn = c.say(speech, statement(Move.PITCH))
    c.hear("Get to the point.", "impatient")
    p = c.say("Is turnover a problem?", question(SpinLabel.PROBLEM))
    c.hear("Yes.", "connector")
    card = _score(c.turns, DiscoveryState())
    heavy = _finding(card, FindingCode.STYLE_DRIVER_SITUATION_HEAVY)
    assert heavy.seqs == (s1, s2)
    assert heavy.params == {"percent": 67}
    assert _finding(card, FindingCode.STYLE_DRIVER_LONG_TURNS).seqs == (long_turn,)
    assert card.component(Component.STYLE).points == 0.0
    assert p not in heavy.seqs


def test_analytical_is_flagged_for_unquantified_questions_only_when_most_are() -> None:
    c = CallBuilder()
    p = c.say("Is keeping operators difficult?", question(SpinLabel.PROBLEM))
    c.hear("Yes.", "connector")
    i = c.say("How does that affect the team?", question(SpinLabel.IMPLICATION))
    c.hear("Badly.", "connector")
    quantified = c.say("How many hours a week does that cost?", question(SpinLabel.IMPLICATION))
    c.hear("Twelve.", "connector")
    card = _score(c.turns, DiscoveryState(), style=StyleName.ANALYTICAL)
    unquantified = _finding(card, FindingCode.STYLE_ANALYTICAL_UNQUANTIFIED)
    assert unquantified.seqs == (p, i)
    assert quantified not in unquantified.seqs
    # Relabel the vague problem question as situation: one vague question in two is not most.
    precise = relabel(c.turns, p, question(SpinLabel.SITUATION))
    card = _score(precise, DiscoveryState(), style=StyleName.ANALYTICAL)
    assert FindingCode.STYLE_ANALYTICAL_UNQUANTIFIED not in _codes(card)


def test_amiable_without_rapport_before_probing_is_flagged_at_the_first_probe() -> None:
    bad = bad_call(Language.EN)
    probe = relabel(bad.transcript, bad.seqs["situation5"], question(SpinLabel.PROBLEM))
    card = _score(probe, bad.state, style=StyleName.AMIABLE)
    assert _finding(card, FindingCode.STYLE_AMIABLE_NO_RAPPORT_FIRST).seqs == (
        bad.seqs["situation5"],
    )
    # Asking to talk again next quarter is early, but it is not pressure.
    assert FindingCode.STYLE_AMIABLE_PRESSURE not in _codes(card)


def test_amiable_withdrawing_after_repeated_pitching_is_pressure() -> None:
    c = CallBuilder()
    c.say("Good to meet you.", statement(Move.RAPPORT))
    c.hear("Likewise.", "warm")
    first = c.say("Our panel is the best on the market.", statement(Move.PITCH))
    c.hear("I see.", "sceptical")
    second = c.say("And it includes remote diagnostics.", statement(Move.PITCH))
    c.hear("...", "withdraw")
    card = _score(c.turns, DiscoveryState(), style=StyleName.AMIABLE)
    assert _finding(card, FindingCode.STYLE_AMIABLE_PRESSURE).seqs == (second,)
    assert first not in _finding(card, FindingCode.STYLE_AMIABLE_PRESSURE).seqs


def test_expressive_without_vision_or_recognition_says_both_were_missing() -> None:
    bad = bad_call(Language.ZH)
    card = _score(bad.transcript, bad.state, style=StyleName.EXPRESSIVE, language=Language.ZH)
    vision = _finding(card, FindingCode.STYLE_EXPRESSIVE_NO_VISION)
    recognition = _finding(card, FindingCode.STYLE_EXPRESSIVE_NO_RECOGNITION)
    assert vision.seqs == ()
    assert recognition.seqs == ()
    assert card.component(Component.STYLE).points == 0.0
    good = good_call(Language.ZH)
    card = _score(good.transcript, good.state, style=StyleName.EXPRESSIVE, language=Language.ZH)
    assert not [f for f in card.findings if f.code.value.startswith("style.expressive")]


# ---- listening ---------------------------------------------------------------------------------


def test_talk_share_counts_words_in_english_and_characters_in_chinese() -> None:
    c = CallBuilder()
    c.say("How many plants do you run?", question(SpinLabel.SITUATION))  # 6 words
    c.hear("We run three plants in the north.")  # 7 words
    card = _score(c.turns, DiscoveryState(), language=Language.EN)
    assert card.listening.unit == "words"
    assert (card.listening.trainee_units, card.listening.buyer_units) == (6, 7)
    z = CallBuilder()
    z.say("你们有几个工厂？", question(SpinLabel.SITUATION))  # 7 characters
    z.hear("我们有三个工厂，都在北方。")  # 11 characters
    card = _score(z.turns, DiscoveryState(), language=Language.ZH)
    assert card.listening.unit == "characters"
    assert (card.listening.trainee_units, card.listening.buyer_units) == (7, 11)
    assert card.listening.talk_share == pytest.approx(7 / 18, abs=1e-4)
    assert FindingCode.LISTENING_TALK_CHARACTERS in _codes(card)


def test_longest_monologue_joins_trainee_turns_with_no_buyer_turn_between() -> None:
    turns = [
        Turn(0, Role.TRAINEE, "one two three", statement(Move.OTHER)),
        Turn(1, Role.TRAINEE, "four five", statement(Move.PITCH)),
        Turn(2, Role.BUYER, "ok"),
        Turn(3, Role.TRAINEE, "one two three four", question(SpinLabel.SITUATION)),
    ]
    card = _score(turns, DiscoveryState())
    assert card.listening.longest_monologue_units == 5
    assert card.listening.longest_monologue_seqs == (0, 1)
    assert card.listening.questions == 1


def test_talk_share_above_the_band_loses_listening_points_linearly() -> None:
    c = CallBuilder()
    c.say(" ".join(["word"] * 54), statement(Move.PITCH))
    c.hear(" ".join(["word"] * 46))
    card = _score(c.turns, DiscoveryState())
    share = 0.54
    expected = (
        RUBRIC.listening_points
        * (RUBRIC.talk_share_zero - share)
        / (RUBRIC.talk_share_zero - RUBRIC.talk_share_full)
    )
    assert card.component(Component.LISTENING).points == pytest.approx(expected, abs=0.01)


# ---- outcome ------------------------------------------------------------------------------------


def test_continuation_without_a_specific_advance_says_so() -> None:
    bad = bad_call(Language.EN)
    card = _score(bad.transcript, bad.state)
    assert card.outcome.outcome is Outcome.CONTINUATION
    assert card.outcome.reason is FindingCode.OUTCOME_CONTINUATION_NO_ADVANCE
    assert card.outcome.seqs == (bad.seqs["continuation"],)
    assert card.component(Component.OUTCOME).points == RUBRIC.outcome_points[Outcome.CONTINUATION]


def test_buyer_ending_the_call_is_a_no_sale_pointing_at_the_last_buyer_turn() -> None:
    c = CallBuilder()
    c.say("How many plants?", question(SpinLabel.SITUATION))
    last = c.hear("I have to go.", "end_call")
    state = DiscoveryState(ended_by_buyer=True, outcome=Outcome.NO_SALE)
    card = _score(c.turns, state)
    assert card.outcome.reason is FindingCode.OUTCOME_NO_SALE_BUYER_ENDED
    assert card.outcome.seqs == (last,)
    assert card.component(Component.OUTCOME).points == 0.0


def test_accepted_advance_earns_the_outcome_with_the_proposing_turn() -> None:
    good = good_call(Language.EN)
    card = _score(good.transcript, good.state)
    advance = _finding(card, FindingCode.OUTCOME_ADVANCE)
    assert advance.seqs == (good.seqs["advance"],)
    assert advance.params["advance"] == "A two-week pilot on one line"
    assert card.component(Component.OUTCOME).points == RUBRIC.outcome_points[Outcome.ADVANCE]


# ---- the card as a whole --------------------------------------------------------------------


def test_breakdown_maxima_sum_to_one_hundred_and_parts_sum_to_components() -> None:
    good = good_call(Language.EN)
    card = _score(good.transcript, good.state)
    assert sum(c.max_points for c in card.components) == 100
    assert card.overall == round(sum(c.points for c in card.components))
    for component in card.components:
        assert component.points == pytest.approx(sum(p.points for p in component.parts))


def test_scorecard_round_trips_through_plain_json() -> None:
    bad = bad_call(Language.ZH)
    card = _score(bad.transcript, bad.state, language=Language.ZH)
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
    card = _score(turns, DiscoveryState())
    assert card.mix.moves == 1
    assert card.listening.trainee_units == 6


# ---- hidden-style mode ----------------------------------------------------------------------


def _styled_call() -> list[Turn]:
    c = CallBuilder()
    c.say("How many plants?", question(SpinLabel.SITUATION))
    c.hear("Three.", "acknowledge")
    c.say("And shifts?", question(SpinLabel.SITUATION))
    c.hear("Can we get to the point?", "impatient")
    c.say("Our panel is great.", statement(Move.PITCH))
    c.hear("Show me the data.", "evidence_request")
    c.say("Shall we sign?", commitment_question())
    c.hear("Busy. Next.", "brush_off")
    return c.turns


def test_style_guess_right_names_the_buyer_turns_that_gave_the_driver_away() -> None:
    result = judge_style_guess(StyleName.DRIVER, StyleName.DRIVER, _styled_call())
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
    result = judge_style_guess(StyleName.AMIABLE, StyleName.ANALYTICAL, _styled_call())
    assert not result.correct
    assert result.findings[0].code is FindingCode.STYLE_GUESS_WRONG
    assert result.findings[0].params == {
        "guess": term(StyleName.AMIABLE),
        "actual": term(StyleName.ANALYTICAL),
    }
    assert [t.seq for t in result.giveaways] == [5]


def test_style_guess_without_any_tell_says_so() -> None:
    result = judge_style_guess(StyleName.EXPRESSIVE, StyleName.EXPRESSIVE, _styled_call())
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


def test_fab_in_chinese_tags_function_words_as_features_and_can_do_as_advantages() -> None:
    c = CallBuilder()
    feature = c.say("我们的平台配有触摸屏和远程诊断功能。", statement(Move.PITCH))
    c.hear("嗯。", "sceptical")
    advantage = c.say("它可以把培训时间缩短一半。", statement(Move.PITCH))
    c.hear("是吗。", "sceptical")
    card = _score(c.turns, DiscoveryState(), language=Language.ZH)
    tags = {s.seq: s.fab for s in card.pitching.statements}
    assert tags == {feature: Fab.FEATURE, advantage: Fab.ADVANTAGE}


def test_situation_question_about_contracts_is_not_a_closing_technique() -> None:
    c = CallBuilder()
    c.say("你们一般什么时候签合同？", question(SpinLabel.SITUATION))
    c.hear("年底。")
    close = c.say("今天就签合同吧，名额有限。", statement(Move.COMMITMENT))
    c.hear("别急。", "push_back")
    card = _score(c.turns, DiscoveryState(), language=Language.ZH)
    assert card.pitching.closing_seqs == (close,)


def test_chinese_question_is_quantified_by_its_figures_not_by_today() -> None:
    c = CallBuilder()
    vague = c.say("今天的流程有什么困难？", question(SpinLabel.PROBLEM))
    c.hear("有一些。", "connector")
    vague2 = c.say("这会影响交货吗？", question(SpinLabel.IMPLICATION))
    c.hear("会。", "connector")
    precise = c.say("每月因此多花多少钱？", question(SpinLabel.IMPLICATION))
    c.hear("两万。", "connector")
    card = _score(c.turns, DiscoveryState(), style=StyleName.ANALYTICAL, language=Language.ZH)
    assert _finding(card, FindingCode.STYLE_ANALYTICAL_UNQUANTIFIED).seqs == (vague, vague2)
    assert precise not in _finding(card, FindingCode.STYLE_ANALYTICAL_UNQUANTIFIED).seqs
