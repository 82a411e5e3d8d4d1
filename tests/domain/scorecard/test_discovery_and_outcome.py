"""Discovery against the scenario (SPIN.md §2) and the call's outcome (SPIN.md §3.7)."""

import pytest

from app.domain.director.state import DiscoveryState, Outcome
from app.domain.labels import SpinLabel
from app.domain.language import Language
from app.domain.scorecard.finding import FindingCode
from app.domain.scorecard.rubric import RUBRIC, Component, Part
from tests.domain.scorecard.cards import (
    finding,
    score_call,
)
from tests.domain.scorecard.scoring_fixtures import (
    CallBuilder,
    bad_call,
    good_call,
    question,
)


def test_discovery_counts_out_of_the_scenario_and_names_what_was_missed_in_chinese() -> None:
    good = good_call(Language.ZH)
    card = score_call(good.transcript, good.state, language=Language.ZH)
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
    card = score_call(c.turns, state)
    assert card.discovery.problems.found == ()
    assert card.discovery.problems.total == 1
    assert card.sequence.paths[0].problem_seq is None
    assert card.sequence.paths[0].implication_seqs == (i,)


def test_continuation_without_a_specific_advance_says_so() -> None:
    bad = bad_call(Language.EN)
    card = score_call(bad.transcript, bad.state)
    assert card.outcome.outcome is Outcome.CONTINUATION
    assert card.outcome.reason is FindingCode.OUTCOME_CONTINUATION_NO_ADVANCE
    assert card.outcome.seqs == (bad.seqs["continuation"],)
    assert card.component(Component.OUTCOME).points == RUBRIC.outcome_points[Outcome.CONTINUATION]


def test_buyer_ending_the_call_is_a_no_sale_pointing_at_the_last_buyer_turn() -> None:
    c = CallBuilder()
    c.say("How many plants?", question(SpinLabel.SITUATION))
    last = c.hear("I have to go.", "end_call")
    state = DiscoveryState(ended_by_buyer=True, outcome=Outcome.NO_SALE)
    card = score_call(c.turns, state)
    assert card.outcome.reason is FindingCode.OUTCOME_NO_SALE_BUYER_ENDED
    assert card.outcome.seqs == (last,)
    assert card.component(Component.OUTCOME).points == 0.0


def test_accepted_advance_earns_the_outcome_with_the_proposing_turn() -> None:
    good = good_call(Language.EN)
    card = score_call(good.transcript, good.state)
    advance = finding(card, FindingCode.OUTCOME_ADVANCE)
    assert advance.seqs == (good.seqs["advance"],)
    assert advance.params["advance"] == "A two-week pilot on one line"
    assert card.component(Component.OUTCOME).points == RUBRIC.outcome_points[Outcome.ADVANCE]
