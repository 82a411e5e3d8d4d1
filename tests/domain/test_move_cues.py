"""One definition of recognition and precision (issue 10): the buyer warms to exactly the
praise the scorecard credits, and both read the same quantified-question rule."""

import pytest

from app.domain.director import Director
from app.domain.director.state import DiscoveryState
from app.domain.labels import Move
from app.domain.language import Language
from app.domain.move_cues import is_precise, is_recognition
from app.domain.scorecard.card import score
from app.domain.scorecard.finding import FindingCode
from app.domain.style import StyleName
from app.domain.transcript import Role, Turn
from tests.domain.scorecard.scoring_fixtures import statement
from tests.factories import make_lexicon, make_scenario, make_style

PRAISE = [
    "Congratulations on the award, that's impressive.",
    "Great point about the new line.",
    "You mentioned the expansion; that's a bold plan.",
    "恭喜你们拿了行业标杆的称号。",
    "您提到的那个想法很有远见。",
]
PLAIN = ["Lovely weather today.", "Thanks for seeing me.", "今天天气不错。", "谢谢您抽时间。"]


@pytest.mark.parametrize("text", PRAISE)
def test_praise_warms_the_expressive_buyer_and_earns_the_scorecards_credit(text: str) -> None:
    assert is_recognition(text)
    director = Director(
        make_scenario(), make_style(StyleName.EXPRESSIVE), Language.EN, make_lexicon()
    )
    warmed, plain = DiscoveryState(), DiscoveryState()
    rapport = statement(Move.RAPPORT)
    director.direct(warmed, seq=1, text=text, label=rapport, seed=1)
    director.direct(plain, seq=1, text="Lovely weather today.", label=rapport, seed=1)
    assert warmed.trust > plain.trust
    turns = [
        Turn(0, Role.BUYER, "Hello."),
        Turn(1, Role.TRAINEE, text, rapport),
        Turn(2, Role.BUYER, "Thanks."),
    ]
    card = score(
        transcript=turns,
        state=warmed,
        scenario=None,
        style=StyleName.EXPRESSIVE,
        language=Language.EN,
    )
    assert FindingCode.STYLE_EXPRESSIVE_NO_RECOGNITION not in [f.code for f in card.findings]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_courtesy_is_not_recognition(text: str) -> None:
    assert not is_recognition(text)


@pytest.mark.parametrize(
    "text",
    [
        "How many operators are certified?",
        "What does that cost you per month?",
        "Roughly what percentage of orders ship late?",
        "每个月因此多花多少钱？",
        "交付延误的比例大概是几成？",
        "Is it above 5% at peak?",
    ],
)
def test_questions_asking_for_numbers_are_precise(text: str) -> None:
    assert is_precise(text)


@pytest.mark.parametrize(
    "text",
    [
        "How do you feel about the schedule?",
        "What happens next week?",
        "今天的流程有什么困难？",
        "这会影响交货吗？",
        "周末你们也上班吗？",
    ],
)
def test_questions_without_numbers_are_not_precise(text: str) -> None:
    assert not is_precise(text)


def test_words_match_whole_words_only() -> None:
    assert not is_recognition("The awarding body audits us.")  # not "award" as a word
    assert is_recognition("The AWARD was deserved.")  # folded case
    assert not is_precise("Do you ratify contracts?")  # not "rate" or "ratio"
