"""Style adaptation for each social style (SPIN.md §4)."""

from app.domain.director.state import DiscoveryState
from app.domain.labels import Move, SpinLabel
from app.domain.language import Language
from app.domain.scorecard.finding import FindingCode
from app.domain.scorecard.rubric import RUBRIC, Component
from app.domain.style import StyleName
from tests.domain.scorecard.cards import (
    codes,
    finding,
    score_call,
)
from tests.domain.scorecard.scoring_fixtures import (
    CallBuilder,
    bad_call,
    good_call,
    question,
    relabel,
    statement,
)


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
    card = score_call(c.turns, DiscoveryState())
    heavy = finding(card, FindingCode.STYLE_DRIVER_SITUATION_HEAVY)
    assert heavy.seqs == (s1, s2)
    assert heavy.params == {"percent": 67}
    assert finding(card, FindingCode.STYLE_DRIVER_LONG_TURNS).seqs == (long_turn,)
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
    card = score_call(c.turns, DiscoveryState(), style=StyleName.ANALYTICAL)
    unquantified = finding(card, FindingCode.STYLE_ANALYTICAL_UNQUANTIFIED)
    assert unquantified.seqs == (p, i)
    assert quantified not in unquantified.seqs
    # Relabel the vague problem question as situation: one vague question in two is not most.
    precise = relabel(c.turns, p, question(SpinLabel.SITUATION))
    card = score_call(precise, DiscoveryState(), style=StyleName.ANALYTICAL)
    assert FindingCode.STYLE_ANALYTICAL_UNQUANTIFIED not in codes(card)


def test_amiable_without_rapport_before_probing_is_flagged_at_the_first_probe() -> None:
    bad = bad_call(Language.EN)
    probe = relabel(bad.transcript, bad.seqs["situation5"], question(SpinLabel.PROBLEM))
    card = score_call(probe, bad.state, style=StyleName.AMIABLE)
    assert finding(card, FindingCode.STYLE_AMIABLE_NO_RAPPORT_FIRST).seqs == (
        bad.seqs["situation5"],
    )
    # Asking to talk again next quarter is early, but it is not pressure.
    assert FindingCode.STYLE_AMIABLE_PRESSURE not in codes(card)


def test_amiable_withdrawing_after_repeated_pitching_is_pressure() -> None:
    c = CallBuilder()
    c.say("Good to meet you.", statement(Move.RAPPORT))
    c.hear("Likewise.", "warm")
    first = c.say("Our panel is the best on the market.", statement(Move.PITCH))
    c.hear("I see.", "sceptical")
    second = c.say("And it includes remote diagnostics.", statement(Move.PITCH))
    c.hear("...", "withdraw")
    card = score_call(c.turns, DiscoveryState(), style=StyleName.AMIABLE)
    assert finding(card, FindingCode.STYLE_AMIABLE_PRESSURE).seqs == (second,)
    assert first not in finding(card, FindingCode.STYLE_AMIABLE_PRESSURE).seqs


def test_expressive_without_vision_or_recognition_says_both_were_missing() -> None:
    bad = bad_call(Language.ZH)
    card = score_call(bad.transcript, bad.state, style=StyleName.EXPRESSIVE, language=Language.ZH)
    vision = finding(card, FindingCode.STYLE_EXPRESSIVE_NO_VISION)
    recognition = finding(card, FindingCode.STYLE_EXPRESSIVE_NO_RECOGNITION)
    assert vision.seqs == ()
    assert recognition.seqs == ()
    assert card.component(Component.STYLE).points == 0.0
    good = good_call(Language.ZH)
    card = score_call(good.transcript, good.state, style=StyleName.EXPRESSIVE, language=Language.ZH)
    assert not [f for f in card.findings if f.code.value.startswith("style.expressive")]


def test_chinese_question_is_quantified_by_its_figures_not_by_today() -> None:
    c = CallBuilder()
    vague = c.say("今天的流程有什么困难？", question(SpinLabel.PROBLEM))
    c.hear("有一些。", "connector")
    vague2 = c.say("这会影响交货吗？", question(SpinLabel.IMPLICATION))
    c.hear("会。", "connector")
    precise = c.say("每月因此多花多少钱？", question(SpinLabel.IMPLICATION))
    c.hear("两万。", "connector")
    card = score_call(c.turns, DiscoveryState(), style=StyleName.ANALYTICAL, language=Language.ZH)
    assert finding(card, FindingCode.STYLE_ANALYTICAL_UNQUANTIFIED).seqs == (vague, vague2)
    assert precise not in finding(card, FindingCode.STYLE_ANALYTICAL_UNQUANTIFIED).seqs
