"""Pitching: FAB tags, premature pitches, objections after them, closing techniques."""

from app.domain.director.state import DiscoveryState, Outcome
from app.domain.labels import Move, SpinLabel
from app.domain.language import Language
from app.domain.scorecard.finding import FindingCode, term
from app.domain.scorecard.pitch_tags import Fab
from app.domain.scorecard.rubric import RUBRIC, Component
from app.domain.style import StyleName
from tests.domain.scorecard.cards import (
    finding,
    score_call,
)
from tests.domain.scorecard.scoring_fixtures import (
    CallBuilder,
    bad_call,
    question,
    statement,
)


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
    card = score_call(c.turns, state)
    tags = {s.seq: (s.fab, s.before_need, s.need_id) for s in card.pitching.statements}
    assert tags[f] == (Fab.FEATURE, True, None)
    assert tags[a] == (Fab.ADVANTAGE, True, None)
    assert tags[benefit] == (Fab.BENEFIT, False, "faster-onboarding")
    assert card.pitching.before_need_seqs == (f, a)
    before_need = [x for x in card.findings if x.code is FindingCode.PITCHING_BEFORE_NEED]
    assert [x.params["fab"] for x in before_need] == [term(Fab.FEATURE), term(Fab.ADVANTAGE)]
    assert finding(card, FindingCode.PITCHING_BENEFIT).params == {"need": "Faster onboarding"}


def test_fab_in_chinese_tags_function_words_as_features_and_can_do_as_advantages() -> None:
    c = CallBuilder()
    feature = c.say("我们的平台配有触摸屏和远程诊断功能。", statement(Move.PITCH))
    c.hear("嗯。", "sceptical")
    advantage = c.say("它可以把培训时间缩短一半。", statement(Move.PITCH))
    c.hear("是吗。", "sceptical")
    card = score_call(c.turns, DiscoveryState(), language=Language.ZH)
    tags = {s.seq: s.fab for s in card.pitching.statements}
    assert tags == {feature: Fab.FEATURE, advantage: Fab.ADVANTAGE}


def test_objection_after_a_pitch_is_counted_with_both_turns() -> None:
    bad = bad_call(Language.EN)
    card = score_call(bad.transcript, bad.state)
    after = card.pitching.objections_after_pitch
    assert len(after) == 1
    assert (after[0].pitch_seq, after[0].buyer_seq) == (bad.seqs["pitch1"], bad.seqs["objection"])
    objection = finding(card, FindingCode.PITCHING_OBJECTION_AFTER_PITCH)
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
    card = score_call(c.turns, DiscoveryState(outcome=Outcome.NO_SALE), style=StyleName.AMIABLE)
    assert card.pitching.closing_seqs == (close,)
    assert finding(card, FindingCode.PITCHING_CLOSING).points == -RUBRIC.closing_penalty
    assert finding(card, FindingCode.STYLE_AMIABLE_PRESSURE).seqs == (close,)


def test_situation_question_about_contracts_is_not_a_closing_technique() -> None:
    c = CallBuilder()
    c.say("你们一般什么时候签合同？", question(SpinLabel.SITUATION))
    c.hear("年底。")
    close = c.say("今天就签合同吧，名额有限。", statement(Move.COMMITMENT))
    c.hear("别急。", "push_back")
    card = score_call(c.turns, DiscoveryState(), language=Language.ZH)
    assert card.pitching.closing_seqs == (close,)
