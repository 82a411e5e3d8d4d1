"""The question mix (SPIN.md §3.1-3.4, §3.8) and the order of moves (SPIN.md §2, §3.5)."""

import pytest

from app.domain.director.state import DiscoveryState
from app.domain.labels import SpinLabel
from app.domain.language import Language
from app.domain.scorecard.finding import FindingCode
from app.domain.scorecard.rubric import RUBRIC, Component, Part
from app.domain.scorecard.sequence import Stage
from app.domain.transcript import Turn
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
)


def test_question_mix_counts_shares_and_problem_ratio_with_their_turns() -> None:
    good = good_call(Language.EN)
    card = score_call(good.transcript, good.state)
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
    before = score_call(good.transcript, good.state)
    after = score_call(all_closed, good.state)
    assert len(before.mix.open_seqs) == 3
    assert after.mix.open_seqs == ()
    assert before.overall == after.overall
    assert finding(after, FindingCode.MIX_OPEN_CLOSED).points == 0.0


def test_ten_situation_questions_lose_the_situation_part_with_every_situation_turn() -> None:
    bad = bad_call(Language.EN)
    card = score_call(bad.transcript, bad.state)
    heavy = finding(card, FindingCode.MIX_SITUATION_HEAVY)
    assert heavy.params["percent"] == 100
    assert len(heavy.seqs) == 10
    part = next(p for p in card.component(Component.MIX).parts if p.part is Part.MIX_SITUATION)
    assert part.points == 0.0
    assert FindingCode.MIX_NO_IMPLICATION in codes(card)
    assert FindingCode.MIX_NO_NEED_PAYOFF in codes(card)


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
    card = score_call(c.turns, state)
    chain = finding(card, FindingCode.SEQUENCE_CHAIN_UNCLOSED)
    assert chain.seqs == (i1, i2)
    assert chain.params == {"count": 2}
    assert card.sequence.chains[0].closed_by is None
    order = next(
        x for x in card.component(Component.SEQUENCE).parts if x.part is Part.SEQUENCE_ORDER
    )
    assert order.points == RUBRIC.order_points - RUBRIC.unclosed_chain_penalty
    assert card.sequence.paths[0].stage is Stage.IMPLICATION
    assert FindingCode.SEQUENCE_PROBLEM_NO_NEED in codes(card)
    assert s not in chain.seqs


def test_need_payoff_closing_a_chain_is_not_an_unclosed_chain() -> None:
    good = good_call(Language.EN)
    card = score_call(good.transcript, good.state)
    assert card.sequence.chains[0].closed_by == good.seqs["need_payoff"]
    assert FindingCode.SEQUENCE_CHAIN_UNCLOSED not in codes(card)
    complete = finding(card, FindingCode.SEQUENCE_PROBLEM_COMPLETE)
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
    card = score_call(c.turns, DiscoveryState())
    premature = finding(card, FindingCode.SEQUENCE_NEED_PAYOFF_PREMATURE)
    assert premature.seqs == (n,)
    assert premature.points == -RUBRIC.premature_need_payoff_penalty
    assert card.sequence.premature_need_payoff_seqs == (n,)
    assert i not in premature.seqs
