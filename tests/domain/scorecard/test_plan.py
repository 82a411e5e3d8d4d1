from app.domain.labels import Move, SpinLabel
from app.domain.language import Language
from app.domain.scorecard.finding import FindingCode, term
from app.domain.scorecard.plan import score_plan
from app.domain.scorecard.rubric import RUBRIC
from tests.domain.scorecard.scoring_fixtures import (
    good_call,
    make_scoring_scenario,
    question,
    statement,
)

SCENARIO = make_scoring_scenario()


def test_plan_without_enough_implication_and_need_payoff_questions_is_flagged() -> None:
    planned = [
        question(SpinLabel.SITUATION),
        question(SpinLabel.PROBLEM),
        question(SpinLabel.IMPLICATION),
    ]
    report = score_plan(planned, [])
    assert not report.enough_implication
    assert not report.enough_need_payoff
    too_few = {f.code: f.params for f in report.findings}
    assert too_few[FindingCode.PLAN_TOO_FEW_IMPLICATION] == {
        "count": 1,
        "minimum": RUBRIC.plan_min_implication,
    }
    assert too_few[FindingCode.PLAN_TOO_FEW_NEED_PAYOFF] == {
        "count": 0,
        "minimum": RUBRIC.plan_min_need_payoff,
    }


def test_plan_with_two_implications_and_two_need_payoffs_is_enough() -> None:
    planned = [question(SpinLabel.IMPLICATION)] * 2 + [question(SpinLabel.NEED_PAYOFF)] * 2
    report = score_plan(planned, [])
    assert report.enough_implication
    assert report.enough_need_payoff
    assert report.findings == ()
    row = next(r for r in report.mix if r.label is SpinLabel.IMPLICATION)
    assert (row.planned, row.planned_share, row.asked) == (2, 0.5, 0)


def test_situation_question_the_brief_answers_is_marked_preparable() -> None:
    planned = [
        question(SpinLabel.SITUATION),
        question(SpinLabel.SITUATION),
        question(SpinLabel.SITUATION),
        question(SpinLabel.PROBLEM),
    ]
    texts = [
        "How many plants do you run?",  # the brief says three plants
        "What shift pattern do you use?",  # the brief does not say
        "你们是哪个行业的？",  # the account page names the industry
        "How many plants have trouble keeping operators?",  # a problem question: never flagged
    ]
    report = score_plan(planned, [], texts=texts, scenario=SCENARIO)
    assert report.preparable == (0, 2)
    flagged = [f for f in report.findings if f.code is FindingCode.PLAN_SITUATION_PREPARABLE]
    assert [f.params["number"] for f in flagged] == [1, 3]
    assert flagged[0].params["question"] == texts[0]


def test_plan_compared_with_the_call_shows_what_was_skipped_and_what_was_added() -> None:
    good = good_call(Language.EN)
    planned = [
        question(SpinLabel.PROBLEM),
        question(SpinLabel.IMPLICATION),
        question(SpinLabel.IMPLICATION),
        question(SpinLabel.NEED_PAYOFF),
        question(SpinLabel.NEED_PAYOFF),
        statement(Move.RAPPORT),
    ]
    report = score_plan(planned, good.transcript)
    rows = {r.label: r for r in report.mix}
    assert (rows[SpinLabel.SITUATION].planned, rows[SpinLabel.SITUATION].asked) == (0, 1)
    assert rows[SpinLabel.SITUATION].asked_seqs == (good.seqs["situation"],)
    assert rows[SpinLabel.IMPLICATION].asked_share == 1 / 8
    unplanned = [f for f in report.findings if f.code is FindingCode.PLAN_LABEL_UNPLANNED]
    assert [f.params["label"] for f in unplanned] == [term(SpinLabel.SITUATION)]
    assert unplanned[0].seqs == (good.seqs["situation"],)
    assert not [f for f in report.findings if f.code is FindingCode.PLAN_LABEL_NOT_ASKED]


def test_planned_label_never_asked_is_reported() -> None:
    good = good_call(Language.EN)
    no_implication = [t for t in good.transcript if t.seq != good.seqs["implication"]]
    planned = [question(SpinLabel.IMPLICATION)] * 2 + [question(SpinLabel.NEED_PAYOFF)] * 2
    report = score_plan(planned, no_implication)
    not_asked = [f for f in report.findings if f.code is FindingCode.PLAN_LABEL_NOT_ASKED]
    assert [f.params for f in not_asked] == [{"label": term(SpinLabel.IMPLICATION), "planned": 2}]
