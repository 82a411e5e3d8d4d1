import pytest

from app.domain.call.session import DrillKind
from app.domain.labels import Move, SpinLabel
from app.domain.scorecard.drill import score_drill
from app.domain.scorecard.finding import FindingCode, term
from app.domain.scorecard.rubric import RUBRIC
from tests.domain.scorecard.scoring_fixtures import CallBuilder, question, statement


def _drill(labels: list[SpinLabel]) -> CallBuilder:
    c = CallBuilder()
    c.hear("Our operators keep leaving.", "greeting")
    for label in labels:
        c.say("A question.", question(label))
        c.hear("An answer.", "connector")
    return c


def test_implication_drill_counts_only_implication_questions() -> None:
    c = _drill(
        [
            SpinLabel.IMPLICATION,
            SpinLabel.SITUATION,
            SpinLabel.IMPLICATION,
            SpinLabel.NEED_PAYOFF,
            SpinLabel.IMPLICATION,
        ]
    )
    c.say("Our product is great.", statement(Move.PITCH))
    result = score_drill(DrillKind.IMPLICATION, c.turns)
    assert (result.attempts, result.hits) == (5, 3)
    assert result.hit_seqs == (1, 5, 9)
    assert result.miss_seqs == (3, 7)
    assert result.enough
    assert result.findings[0].code is FindingCode.DRILL_RESULT
    assert result.findings[0].params == {
        "label": term(SpinLabel.IMPLICATION),
        "hits": 3,
        "attempts": 5,
    }
    assert len(result.findings) == 1


@pytest.mark.parametrize("hits", [0, 1, 2])
def test_need_payoff_drill_with_fewer_than_three_tries_is_not_enough(hits: int) -> None:
    c = _drill([SpinLabel.NEED_PAYOFF] * hits + [SpinLabel.IMPLICATION] * 3)
    result = score_drill(DrillKind.NEED_PAYOFF, c.turns)
    assert result.hits == hits
    assert not result.enough
    too_few = result.findings[-1]
    assert too_few.code is FindingCode.DRILL_TOO_FEW
    assert too_few.params == {
        "label": term(SpinLabel.NEED_PAYOFF),
        "hits": hits,
        "minimum": RUBRIC.drill_min_tries,
    }
    assert too_few.seqs == result.miss_seqs


def test_drill_minimum_comes_from_the_rubric() -> None:
    assert RUBRIC.drill_min_tries == 3
    c = _drill([SpinLabel.NEED_PAYOFF] * 3)
    assert score_drill(DrillKind.NEED_PAYOFF, c.turns).enough
