"""Discovery against the scenario (SPIN.md §2) and the call's outcome (SPIN.md §3.7)."""

import pytest

from app.adapters.persona_files.feedback import load_feedback
from app.domain.director.state import DiscoveryState, HeldBack, HoldReason, Outcome
from app.domain.labels import Move, SpinLabel
from app.domain.language import Language
from app.domain.scorecard.feedback import explain
from app.domain.scorecard.finding import Finding, FindingCode
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
    statement,
)
from tests.support.paths import PERSONAS

FEEDBACK = PERSONAS / "feedback.yaml"


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


def _attribution(
    state: DiscoveryState, language: Language = Language.EN
) -> dict[FindingCode, Finding]:
    c = CallBuilder()
    c.hear("Hello.", "greeting")
    for _ in range(3):
        c.say("Do your operators stay long?", question(SpinLabel.PROBLEM))
        c.hear("Let's not get into that yet.", "hold_back")
    card = score_call(c.turns, state, language=language)
    return {f.code: f for f in card.findings if f.code.value.startswith("discovery.")}


def test_a_problem_asked_about_but_held_back_is_not_called_missed() -> None:
    """Issue 11: the trainee asked; the amiable buyer held back for want of rapport."""
    state = DiscoveryState(held_back={"operator-turnover": HeldBack(3, HoldReason.RAPPORT)})
    found = _attribution(state)
    held = found[FindingCode.DISCOVERY_HELD_BACK]
    assert held.seqs == (3,)
    assert held.params["title"] == "Operator turnover"
    assert held.params["why"] == "term.hold_rapport"
    missed = found[FindingCode.DISCOVERY_PROBLEM_MISSED]
    assert missed.params["title"] == "Unplanned downtime"  # never asked about


@pytest.mark.parametrize("language", list(Language))
def test_held_back_names_the_trainees_own_turn_and_what_would_open_the_buyer(
    language: Language,
) -> None:
    c = CallBuilder()
    c.hear("Hello.", "greeting")
    c.say("Nice to meet you.", statement(Move.RAPPORT))
    c.hear("Likewise.", "warm")
    asked = c.say("Do your operators stay long?", question(SpinLabel.PROBLEM))
    c.hear("Let's not get into that yet.", "hold_back")
    state = DiscoveryState(held_back={"operator-turnover": HeldBack(asked, HoldReason.RAPPORT)})
    card = score_call(c.turns, state, language=language)
    lines = explain(card, load_feedback(FEEDBACK), language)
    line = next(x for x in lines if x.code == FindingCode.DISCOVERY_HELD_BACK.value)
    assert line.seqs == (asked,)
    assert ("turn 2" if language is Language.EN else "第2轮") in line.text  # the second move
    assert ("rapport" if language is Language.EN else "融洽") in line.text


def test_a_hinted_problem_never_followed_up_says_so() -> None:
    found = _attribution(DiscoveryState(hints={"unplanned-downtime": 5}))
    assert found[FindingCode.DISCOVERY_HINTED].seqs == (5,)


def test_a_need_asked_for_too_early_is_attributed_even_before_its_implication() -> None:
    state = DiscoveryState(
        problems={"operator-turnover": 1},
        held_back={"faster-onboarding": HeldBack(3, HoldReason.NOT_DEVELOPED)},
    )
    found = _attribution(state)
    held = found[FindingCode.DISCOVERY_HELD_BACK]
    assert held.params["why"] == "term.hold_not_developed"
    assert FindingCode.DISCOVERY_NEED_MISSED not in found  # its implication is not developed
